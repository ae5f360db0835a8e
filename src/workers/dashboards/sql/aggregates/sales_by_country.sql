-- grain: one row per customer country
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
    d.value as country,
    t.sales,
    coalesce(c.customers, 0) as customers,
    t.sales / sum(t.sales) over () as share,
from totals as t
left join customers as c on c.cn = t.cn
join temp.dash_codes as d on d.dim = 'country' and d.code = t.cn
order by sales desc, country
