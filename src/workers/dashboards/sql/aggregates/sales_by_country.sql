-- grain: one row per customer country (its code: the worker puts the name in; codes rank the names, so the order is by name too)
with

totals as (
    select cn, total_sales(sales) as sales,
    from cells
    group by cn
),

customers as (
    select cn, sum(customers)::bigint as customers,
    from buyers
    group by cn
)

select
    t.cn as country,
    t.sales,
    coalesce(c.customers, 0) as customers,
    t.sales / sum(t.sales) over () as share,
from totals as t
left join customers as c on c.cn = t.cn
order by sales desc, t.cn
