-- grain: one row per calendar year of the order date (null: no valid order date)
with

lines as (
    select
        f.*,
        year(f.order_date) as year,
    from gold.fact_sales as f
)

select
    year,
    total_sales(sales_amount) as sales,
    total_units(quantity) as units,
    total_orders(order_number) as orders,
    total_customers(customer_key) as customers,
    avg_order_value(sales_amount, order_number) as avg_order_value,
    total_sales(sales_amount) / sum(total_sales(sales_amount)::decimal(38, 6)) over () as share_of_sales,
from lines
group by all
order by year nulls last
