-- grain: one row per month in which customers placed their first order (among the filtered lines)
-- first_orders: a first order day and its number of customers (one per customer, or per month
-- and combination of codes); grouped by year and month as numbers, the label made once per month
select
    strftime(make_date(first_year, first_month, 1), '%Y-%m-%d') as period,
    new_customers,
from (
    select year(first_date) as first_year, month(first_date) as first_month, sum(customers)::bigint as new_customers,
    from first_orders
    group by all
)
order by period
