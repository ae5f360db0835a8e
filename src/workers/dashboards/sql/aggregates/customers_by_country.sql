-- grain: one row per customer country
with

customers as (
    select cn, sum(customers)::bigint as customers,
    from buyers
    group by cn
),

totals as (
    select cn, total_sales(sales) as sales,
    from cells
    where buyer
    group by cn
)

select
    d.value as country,
    c.customers,
    t.sales,
from customers as c
join totals as t on t.cn = c.cn
join temp.dash_codes as d on d.dim = 'country' and d.code = c.cn
order by customers desc, country
