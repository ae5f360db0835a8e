-- grain: one row per product category (its code: the worker puts the name in; codes rank the names, so the order is by name too)
with

totals as (
    select cat, total_sales(sales) as sales, total_units(units) as units,
    from cells
    group by cat
)

select
    t.cat as category,
    t.sales,
    t.units::bigint as units,
    t.sales / sum(t.sales) over () as share,
from totals as t
order by sales desc, t.cat
