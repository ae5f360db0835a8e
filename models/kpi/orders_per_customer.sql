-- grain: one row per number of orders a customer placed (the distribution)
with

per_customer as (
    select
        customer_key,
        total_orders(order_number) as orders,
        total_sales(sales_amount) as sales,
    from gold.fact_sales
    where customer_key is not null
    group by customer_key
)

select
    orders,
    count(*) as customers,
    total_sales(sales) as sales,
    count(*) / sum(count(*)) over () as share_of_customers,
from per_customer
group by all
order by orders
