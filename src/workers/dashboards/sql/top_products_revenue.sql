-- grain: one row per product, the 20 with the highest sales
select
    product_name,
    total_sales(sales_amount) as sales,
    total_units(quantity)::bigint as units,
from lines
where product_key is not null
group by product_key, product_name
order by sales desc, product_name
limit 20
