-- grain: one row per product, the 20 with the highest sales
with

totals as (
    select product_key, total_sales(sales) as sales, total_units(units)::bigint as units,
    from product_cells
    where product_key is not null
    group by product_key
)

select coalesce(p.product_name, 'n/a') as product_name, t.sales, t.units,
from totals as t
left join temp.dash_products as p on p.product_key = t.product_key
order by t.sales desc, product_name
limit 20
