-- grain: one row per product (null product_key: sales of unknown products)
-- Aggregated by product_key alone, then described from dim_products: grouping 6 M lines
-- by the six descriptive text columns as well needed about 3x the working memory.
-- The sums and each distinct count in a pass of their own, joined by product: one
-- grouping's hash table is freed before the next is built, so they are never all held at once.
with

sums as (
    select product_key, total_sales(sales_amount) as sales, total_units(quantity) as units,
    from gold.fact_sales
    group by product_key
),

orders as (
    select product_key, total_orders(order_number) as orders,
    from gold.fact_sales
    group by product_key
),

customers as (
    select product_key, total_customers(customer_key) as customers,
    from gold.fact_sales
    group by product_key
),

per_product as (
    select
        s.product_key, s.sales, s.units, o.orders, c.customers,
        s.sales / nullif(o.orders, 0) as avg_order_value,
    from sums as s
    join orders as o on s.product_key is not distinct from o.product_key
    join customers as c on s.product_key is not distinct from c.product_key
)

select
    s.product_key,
    p.product_id,
    p.product_number,
    coalesce(p.product_name, 'n/a') as product_name,
    coalesce(p.category, 'n/a') as category,
    coalesce(p.subcategory, 'n/a') as subcategory,
    coalesce(p.product_line, 'n/a') as product_line,
    s.sales,
    s.units,
    s.orders,
    s.customers,
    s.avg_order_value,
    s.sales / sum(s.sales::decimal(38, 6)) over () as share_of_sales,
from per_product as s
left join gold.dim_products as p on s.product_key = p.product_key
order by s.sales desc, s.product_key
