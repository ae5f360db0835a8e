-- grain: one row per customer type (repeat: two or more orders; one-time: exactly one)
with

per_customer as (
    select
        customer_key,
        total_orders(order_number) as orders,
        total_sales(sales_amount) as sales,
    from gold.fact_sales
    where customer_key is not null
    group by customer_key
),

typed as (
    select
        case when orders >= 2 then 'repeat' else 'one-time' end as customer_type,
        orders,
        sales,
    from per_customer
)

select
    customer_type,
    count(*) as customers,
    total_sales(sales) as sales,
    sum(orders) as orders,
    count(*) / sum(count(*)) over () as share_of_customers,
    total_sales(sales) / sum(total_sales(sales)::decimal(38, 6)) over () as share_of_sales,
from typed
group by all
order by customer_type desc
