-- grain: one row per customer, the 100 with the highest sales among the filtered lines
with

top as (
    select customer_key, sales, orders,
    from top_customers
    order by sales desc, customer_key
    limit 100
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
left join segmentation.customer_segments as s on s.customer_key = t.customer_key
order by t.sales desc, t.customer_key
