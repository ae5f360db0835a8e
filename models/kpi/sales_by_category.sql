-- grain: one row per product category ('n/a' where the product is unknown)
with

lines as (
    select
        f.*,
        coalesce(p.category, 'n/a') as category,
    from gold.fact_sales as f
    left join gold.dim_products as p on f.product_key = p.product_key
)

select
    category,
    total_sales(sales_amount) as sales,
    total_units(quantity) as units,
    total_orders(order_number) as orders,
    total_customers(customer_key) as customers,
    avg_order_value(sales_amount, order_number) as avg_order_value,
    total_sales(sales_amount) / sum(total_sales(sales_amount)::decimal(38, 6)) over () as share_of_sales,
from lines
group by all
order by sales desc, category
