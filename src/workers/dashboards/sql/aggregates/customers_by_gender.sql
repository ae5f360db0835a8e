-- grain: one row per customer gender
with

customers as (
    select ge, sum(customers)::bigint as customers,
    from buyers
    group by ge
),

totals as (
    select ge, total_sales(sales) as sales,
    from cells
    where buyer
    group by ge
)

select
    d.value as gender,
    c.customers,
    t.sales,
from customers as c
join totals as t on t.ge = c.ge
join temp.dash_codes as d on d.dim = 'gender' and d.code = c.ge
order by customers desc, gender
