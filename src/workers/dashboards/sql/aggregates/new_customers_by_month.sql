-- grain: one row per month in which customers placed their first order (among the filtered lines)
select
    strftime(make_date(year(first_date), month(first_date), 1), '%Y-%m-%d') as period,
    count(*) as new_customers,
from first_orders
group by period
order by period
