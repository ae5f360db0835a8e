-- grain: one row: the six measures over the filtered lines (totals 0 when no line matches)
select
    coalesce(total_sales(sales_amount), 0) as total_sales,
    coalesce(total_units(quantity), 0) as total_units,
    total_orders(order_number) as total_orders,
    total_customers(customer_key) as total_customers,
    avg_order_value(sales_amount, order_number) as avg_order_value,
    avg_unit_price(sales_amount, quantity) as avg_unit_price,
from lines
