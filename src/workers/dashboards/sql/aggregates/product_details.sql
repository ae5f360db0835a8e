-- grain: one row per product sold (the first 500 by sales; totals come from the KPIs)
with

totals as (
    select product_key, total_sales(sales) as sales, total_units(units)::bigint as units,
    from product_cells
    group by product_key
)

select
    p.product_id,
    coalesce(p.product_name, 'n/a') as product_name,
    coalesce(p.subcategory, 'n/a') as subcategory,
    t.sales,
    t.units,
from totals as t
left join temp.dash_products as p on p.product_key = t.product_key
order by sales desc, product_name
limit 500
