-- grain: one row per customer, the 20 with the highest sales
with

top as (
    select customer_key, sales, orders,
    from top_customers
    order by sales desc, customer_key
    limit 20
)

select
    trim(concat_ws(' ', c.first_name, c.last_name)) || ' (' || c.customer_number || ')' as customer,
    coalesce(c.country, 'n/a') as country,
    t.sales,
    t.orders,
from top as t
left join gold.dim_customers as c on c.customer_key = t.customer_key
order by t.sales desc, t.customer_key
