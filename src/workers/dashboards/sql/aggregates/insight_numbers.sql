-- grain: one row per insight figure, from the KPI tables and the whole (unfiltered) aggregates
with

product_line as (
    select 'product_line' as insight, product_line as name, share_of_sales as share, sales as value, null::double as other,
    from kpi.sales_by_product_line
    where product_line <> 'n/a'
    order by sales desc
    limit 1
),

subcategory as (
    select 'subcategory_units', s.subcategory, s.units / o.total_units, s.units::double, null::double,
    from kpi.sales_by_subcategory as s
    cross join kpi.overview as o
    where s.subcategory <> 'n/a'
    order by s.units desc
    limit 1
),

top_segment as (
    select 'top_segment', d.value, total_sales(c.sales) / (select total_sales(sales) from temp.dash_cube),
        total_sales(c.sales), (select count(*) from temp.dash_buyers where va = d.code) / (select count(*) from temp.dash_buyers),
    from temp.dash_cube as c
    join temp.dash_codes as d on d.dim = 'segment' and d.code = c.va
    where d.value = 'High'
    group by d.value, d.code
),

country as (
    select 'country', country, share_of_sales, sales, null::double,
    from kpi.sales_by_country
    where country <> 'n/a'
    order by sales desc
    limit 1
),

peak_months as (
    select 'peak_month', strftime(month, '%Y-%m-%d'), share_of_sales, sales, null::double,
    from kpi.sales_by_month
    where month is not null
    order by sales desc
    limit 3
),

repeat_customers as (
    select 'customer_type', customer_type, share_of_sales, sales, share_of_customers,
    from kpi.repeat_customers
)

select * from product_line
union all select * from subcategory
union all select * from top_segment
union all select * from country
union all select * from peak_months
union all select * from repeat_customers
