-- grain: one row per product (null product_key: sales of unknown products)
with

lines as (
    select
        f.*,
        p.product_id,
        p.product_number,
        coalesce(p.product_name, 'n/a') as product_name,
        coalesce(p.category, 'n/a') as category,
        coalesce(p.subcategory, 'n/a') as subcategory,
        coalesce(p.product_line, 'n/a') as product_line,
    from gold.fact_sales as f
    left join gold.dim_products as p on f.product_key = p.product_key
)

select
    product_key,
    product_id,
    product_number,
    product_name,
    category,
    subcategory,
    product_line,
    total_sales(sales_amount) as sales,
    total_units(quantity) as units,
    total_orders(order_number) as orders,
    total_customers(customer_key) as customers,
    avg_order_value(sales_amount, order_number) as avg_order_value,
    total_sales(sales_amount) / sum(total_sales(sales_amount)) over () as share_of_sales,
from lines
group by all
order by sales desc
