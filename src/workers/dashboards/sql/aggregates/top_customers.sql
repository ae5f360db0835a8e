-- grain: one row per customer, the 20 with the highest sales
with

top as materialized (
    select customer_key, sales, orders,
    from top_customers
    order by sales desc, customer_key
    limit 20
),

-- their names from the table of the buyers lists show most (see build.sql), the others from every customer
named as materialized (
    select t.customer_key, n.c_first_name as first_name, n.c_last_name as last_name, n.c_customer_number as customer_number, n.c_country as country,
    from top as t
    join temp.dash_names as n on n.customer_key = t.customer_key
),

rest as (
    select t.customer_key,
    from top as t
    where t.customer_key not in (select customer_key from named)
),

names as (
    select * from named
    union all
    select r.customer_key, c.first_name, c.last_name, c.customer_number, c.country,
    from rest as r
    left join gold.dim_customers as c on c.customer_key = r.customer_key
)

select
    trim(concat_ws(' ', c.first_name, c.last_name)) || ' (' || c.customer_number || ')' as customer,
    coalesce(c.country, 'n/a') as country,
    t.sales,
    t.orders,
from top as t
left join names as c on c.customer_key = t.customer_key
order by t.sales desc, t.customer_key
