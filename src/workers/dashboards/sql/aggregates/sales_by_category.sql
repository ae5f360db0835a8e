-- grain: one row per product category
with

totals as (
    select cat, total_sales(sales) as sales, total_units(units) as units,
    from cells
    group by cat
)

select
    d.value as category,
    t.sales,
    t.units::bigint as units,
    t.sales / sum(t.sales) over () as share,
from totals as t
join temp.dash_codes as d on d.dim = 'category' and d.code = t.cat
order by sales desc, category
