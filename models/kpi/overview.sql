-- grain: one row for the whole business
-- The sums and each distinct count in a pass of their own: their hash tables are never held at once.
with

sums as (
    select
        total_sales(sales_amount) as total_sales,
        total_units(quantity) as total_units,
        avg_unit_price(sales_amount, quantity) as avg_unit_price,
        min(order_date) as first_order_date,
        max(order_date) as last_order_date,
    from gold.fact_sales
),

orders as (
    select total_orders(order_number) as total_orders from gold.fact_sales
),

customers as (
    select total_customers(customer_key) as total_customers from gold.fact_sales
)

select
    s.total_sales,
    s.total_units,
    o.total_orders,
    c.total_customers,
    s.total_sales / nullif(o.total_orders, 0) as avg_order_value,
    s.avg_unit_price,
    s.first_order_date,
    s.last_order_date,
from sums as s, orders as o, customers as c
