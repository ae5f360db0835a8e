-- grain: one row: the six measures under every filter (totals 0 when no line matches).
-- Sums of the cells' sums; orders and customers are counted at their own grain (an order,
-- a buyer, or a cube of them that no filter splits), so the counts are exact.
with

sums as (
    select coalesce(total_sales(sales), 0) as total_sales, coalesce(total_units(units), 0)::bigint as total_units,
    from cells
),

order_total as (
    select coalesce(sum(orders), 0)::bigint as total_orders,
    from order_counts
),

customer_total as (
    select coalesce(sum(customers), 0)::bigint as total_customers,
    from buyers
)

select
    s.total_sales,
    s.total_units,
    o.total_orders,
    c.total_customers,
    -- avg_order_value and avg_unit_price of models/measures.sql, over the sums above
    s.total_sales / nullif(o.total_orders, 0) as avg_order_value,
    s.total_sales / nullif(s.total_units, 0) as avg_unit_price,
from sums as s, order_total as o, customer_total as c
