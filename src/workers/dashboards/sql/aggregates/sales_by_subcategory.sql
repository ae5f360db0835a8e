-- grain: one row per product subcategory (codes: the worker puts the names in; codes rank the names, so the order is by name too)
with

totals as (
    select sub, any_value(cat) as cat, total_sales(sales) as sales, total_units(units) as units,
    from cells
    group by sub
)

select
    t.sub as subcategory,
    t.cat as category,
    t.sales,
    t.units::bigint as units,
from totals as t
order by sales desc, t.sub
