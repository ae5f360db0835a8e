-- grain: one row for the whole business
select
    total_sales(sales_amount) as total_sales,
    total_units(quantity) as total_units,
    total_orders(order_number) as total_orders,
    total_customers(customer_key) as total_customers,
    avg_order_value(sales_amount, order_number) as avg_order_value,
    avg_unit_price(sales_amount, quantity) as avg_unit_price,
    min(order_date) as first_order_date,
    max(order_date) as last_order_date,
from gold.fact_sales
