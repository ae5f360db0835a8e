-- grain: one row per number of orders a customer placed (the distribution)
select
    orders,
    count(*) as customers,
    sum(sales) as sales,
from per_customer
group by orders
order by orders
