-- grain: one row per month, or per year when the parameter is 'year' (lines without a valid order date left out)
with

grain as (
    select ? as name
),

sales as (
    select
        case when (select name from grain) = 'year' then make_date(year(month), 1, 1) else month end as period,
        total_sales(sales) as sales,
        total_units(units) as units,
    from cells
    where month is not null
    group by period
),

orders as (
    select
        case when (select name from grain) = 'year' then make_date(year(month), 1, 1) else month end as period,
        sum(orders) as orders,
    from dated_order_counts
    where month is not null
    group by period
)

select
    strftime(s.period, '%Y-%m-%d') as period,
    s.sales,
    s.units::bigint as units,
    coalesce(o.orders, 0)::bigint as orders,
from sales as s
left join orders as o on o.period = s.period
order by s.period
