-- grain: one row per customer marital status
with

lines as (
    select
        f.*,
        coalesce(c.marital_status, 'n/a') as marital_status,
    from gold.fact_sales as f
    left join gold.dim_customers as c on f.customer_key = c.customer_key
)

select
    marital_status,
    total_sales(sales_amount) as sales,
    total_units(quantity) as units,
    total_orders(order_number) as orders,
    total_customers(customer_key) as customers,
    avg_order_value(sales_amount, order_number) as avg_order_value,
    total_sales(sales_amount) / sum(total_sales(sales_amount)::decimal(38, 6)) over () as share_of_sales,
from lines
group by all
order by sales desc, marital_status
