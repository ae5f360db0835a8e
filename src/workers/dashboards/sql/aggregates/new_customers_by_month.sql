-- grain: one row per month in which customers placed their first order (among the filtered lines);
-- first_orders holds one row per customer, or per month with its count of customers (customers)
select
    strftime(make_date(year(first_date), month(first_date), 1), '%Y-%m-%d') as period,
    sum(customers)::bigint as new_customers,
from first_orders
group by period
order by period
