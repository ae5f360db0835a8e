-- grain: one row per product subcategory
with

totals as (
    select sub, any_value(cat) as cat, total_sales(sales) as sales, total_units(units) as units,
    from cells
    group by sub
)

select
    s.value as subcategory,
    c.value as category,
    t.sales,
    t.units::bigint as units,
from totals as t
join temp.dash_codes as s on s.dim = 'subcategory' and s.code = t.sub
join temp.dash_codes as c on c.dim = 'category' and c.code = t.cat
order by sales desc, subcategory
