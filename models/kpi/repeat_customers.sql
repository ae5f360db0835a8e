-- grain: one row per customer type (repeat: two or more orders; one-time: exactly one)
-- Each customer's orders are counted as the (customer, order) groups below it, not with
-- count(distinct): one hash table over the lines instead of two — 20 % less CPU at scale 100
-- (bench/README.md). Sums stay exact: decimal partial sums add up to the same decimal.
with

customer_orders as (
    select
        customer_key,
        order_number,
        sum(sales_amount::decimal(38, 6)) as sales,
    from gold.fact_sales
    where customer_key is not null
    group by customer_key, order_number
),

per_customer as (
    select
        customer_key,
        -- count(distinct) leaves out a NULL order number; so does count(order_number)
        count(order_number) as orders,
        sum(sales)::double as sales,
    from customer_orders
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
