-- grain: one row per product sold (the first 500 by sales; totals come from the KPIs)
select
    any_value(p.product_id) as product_id,
    l.product_name,
    any_value(l.subcategory) as subcategory,
    total_sales(l.sales_amount) as sales,
    total_units(l.quantity)::bigint as units,
from lines as l
left join temp.dash_products as p on p.product_key = l.product_key
group by l.product_key, l.product_name
order by sales desc, l.product_name
limit 500
