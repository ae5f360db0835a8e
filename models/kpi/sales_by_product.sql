-- grain: one row per product (null product_key: sales of unknown products)
-- Aggregated by product_key alone, then described from dim_products: grouping 6 M lines
-- by the six descriptive text columns as well needed about 3x the working memory.
with

per_product as (
    select
        product_key,
        total_sales(sales_amount) as sales,
        total_units(quantity) as units,
        total_orders(order_number) as orders,
        total_customers(customer_key) as customers,
        avg_order_value(sales_amount, order_number) as avg_order_value,
    from gold.fact_sales
    group by product_key
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
