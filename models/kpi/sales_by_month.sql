-- grain: one row per calendar month of the order date (null: no valid order date)
with

lines as (
    select
        f.*,
        date_trunc('month', f.order_date)::date as month,
    from gold.fact_sales as f
)

select
    month,
    total_sales(sales_amount) as sales,
    total_units(quantity) as units,
    total_orders(order_number) as orders,
    total_customers(customer_key) as customers,
    avg_order_value(sales_amount, order_number) as avg_order_value,
    total_sales(sales_amount) / sum(total_sales(sales_amount)) over () as share_of_sales,
from lines
group by all
order by month nulls last
