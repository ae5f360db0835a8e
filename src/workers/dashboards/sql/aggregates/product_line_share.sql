-- grain: one row per product line
with

totals as (
    select line, total_sales(sales) as sales, total_units(units) as units,
    from cells
    group by line
)

select
    d.value as product_line,
    t.sales,
    t.units::bigint as units,
    t.sales / sum(t.sales) over () as share,
from totals as t
join temp.dash_codes as d on d.dim = 'line' and d.code = t.line
order by sales desc, product_line
