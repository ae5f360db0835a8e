-- grain: one row per number of orders a customer placed (the distribution)
select
    orders,
    sum(customers)::bigint as customers,
    sum(sales) as sales,
from customer_counts
group by orders
order by orders
