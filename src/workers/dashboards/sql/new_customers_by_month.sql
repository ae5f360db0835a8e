-- grain: one row per month in which customers placed their first order (among the filtered lines)
with

first_orders as (
    select
        customer_key,
        min(order_date) as first_order_date,
    from lines
    where customer_key is not null and order_date is not null
    group by customer_key
)

select
    strftime(make_date(year(first_order_date), month(first_order_date), 1), '%Y-%m-%d') as period,
    count(*) as new_customers,
from first_orders
group by period
order by period
