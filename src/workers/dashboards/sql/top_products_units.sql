-- grain: one row per product, the 20 with most units sold
select
    product_name,
    total_units(quantity)::bigint as units,
    total_sales(sales_amount) as sales,
from lines
where product_key is not null
group by product_key, product_name
order by units desc, product_name
limit 20
