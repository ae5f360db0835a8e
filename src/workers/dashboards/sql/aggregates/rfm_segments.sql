-- grain: one row per RFM segment
with

customers as (
    select rf, sum(customers)::bigint as customers,
    from buyers
    group by rf
),

totals as (
    select rf, total_sales(sales) as sales,
    from cells
    where buyer
    group by rf
)

select
    d.value as rfm_segment,
    c.customers,
    t.sales,
    t.sales / sum(t.sales) over () as share,
from customers as c
join totals as t on t.rf = c.rf
join temp.dash_codes as d on d.dim = 'rfm' and d.code = c.rf
order by sales desc, rfm_segment
