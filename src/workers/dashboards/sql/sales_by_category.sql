-- grain: one row per product category
select
    category,
    total_sales(sales_amount) as sales,
    total_units(quantity)::bigint as units,
    total_sales(sales_amount) / sum(total_sales(sales_amount)) over () as share,
from lines
group by category
order by sales desc, category
