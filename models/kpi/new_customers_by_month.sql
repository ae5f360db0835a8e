-- grain: one row per month in which customers placed their first order
with

first_orders as (
    select
        customer_key,
        min(order_date) as first_order_date,
    from gold.fact_sales
    where customer_key is not null
    group by customer_key
)

select
    make_date(year(first_order_date), month(first_order_date), 1) as month,
    count(*) as new_customers,
from first_orders
where first_order_date is not null
group by all
order by month
