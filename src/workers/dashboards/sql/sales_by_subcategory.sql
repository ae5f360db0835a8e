-- grain: one row per product subcategory
select
    subcategory,
    any_value(category) as category,
    total_sales(sales_amount) as sales,
    total_units(quantity)::bigint as units,
from lines
group by subcategory
order by sales desc, subcategory
