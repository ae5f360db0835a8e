-- grain: one row per value segment (High, Medium, Low) with its lifetime-sales cut-off
with

cutoffs as (
    select any_value(high_cutoff) as high_cutoff, any_value(medium_cutoff) as medium_cutoff,
    from segmentation.customer_segments
),

customers as (
    select va, sum(customers)::bigint as customers,
    from buyers
    group by va
),

totals as (
    select va, total_sales(sales) as sales,
    from cells
    where buyer
    group by va
),

segments as (
    select d.value as value_segment, c.customers, t.sales,
    from customers as c
    join totals as t on t.va = c.va
    join temp.dash_codes as d on d.dim = 'segment' and d.code = c.va
)

select
    s.value_segment,
    s.customers,
    s.sales,
    s.sales / sum(s.sales) over () as share,
    case s.value_segment when 'High' then c.high_cutoff when 'Medium' then c.medium_cutoff end as cutoff_from,
    case s.value_segment when 'Medium' then c.high_cutoff when 'Low' then c.medium_cutoff end as cutoff_below,
from segments as s
cross join cutoffs as c
order by case s.value_segment when 'High' then 1 when 'Medium' then 2 when 'Low' then 3 else 4 end
