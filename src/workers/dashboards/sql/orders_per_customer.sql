-- grain: one row per number of orders a customer placed (the distribution)
with

per_customer as (
    select
        customer_key,
        total_orders(order_number) as orders,
        total_sales(sales_amount) as sales,
    from lines
    where customer_key is not null
    group by customer_key
)

select
    orders,
    count(*) as customers,
    sum(sales) as sales,
from per_customer
group by orders
order by orders
