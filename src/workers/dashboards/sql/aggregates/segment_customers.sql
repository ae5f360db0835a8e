-- grain: one row per customer, the 100 with the highest sales among the filtered lines
with

top as materialized (
    select customer_key, sales, orders,
    from top_customers
    order by sales desc, customer_key
    limit 100
),

-- their segmentation rows from the table of the buyers lists show most (see build.sql), the others from every customer's
named as materialized (
    select t.customer_key, n.s_customer_number as customer_number, n.s_first_name as first_name, n.s_last_name as last_name,
        n.s_country as country, n.s_value_segment as value_segment, n.s_rfm_segment as rfm_segment,
        n.s_total_sales as total_sales, n.s_last_order_date as last_order_date,
    from top as t
    join temp.dash_names as n on n.customer_key = t.customer_key
),

rest as (
    select t.customer_key,
    from top as t
    where t.customer_key not in (select customer_key from named)
),

segments as (
    select * from named
    union all
    select r.customer_key, s.customer_number, s.first_name, s.last_name, s.country, s.value_segment, s.rfm_segment, s.total_sales, s.last_order_date,
    from rest as r
    left join segmentation.customer_segments as s on s.customer_key = r.customer_key
)

select
    s.customer_number,
    trim(concat_ws(' ', s.first_name, s.last_name)) as name,
    coalesce(s.country, 'n/a') as country,
    s.value_segment,
    s.rfm_segment,
    t.sales,
    t.orders,
    s.total_sales as lifetime_sales,
    strftime(s.last_order_date, '%Y-%m-%d') as last_order,
from top as t
left join segments as s on s.customer_key = t.customer_key
order by t.sales desc, t.customer_key
