-- grain: one row per customer type (repeat: two or more orders; one-time: exactly one)
select
    case when orders >= 2 then 'Repeat' else 'One-time' end as customer_type,
    sum(customers)::bigint as customers,
    sum(sales) as sales,
    sum(customers) / sum(sum(customers)) over () as share_of_customers,
    sum(sales) / sum(sum(sales)) over () as share_of_sales,
from customer_counts
group by customer_type
order by customer_type desc
