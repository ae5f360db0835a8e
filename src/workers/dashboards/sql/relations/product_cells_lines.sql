-- product cells from single sales lines (the days of a date range that do not fill a month)
select
    product_key, cat, sub, line, cn, ge, ma, va, rf,
    customer_key is not null as buyer,
    make_date(year(order_date), month(order_date), 1) as month,
    sales_amount as sales,
    quantity as units,
from dash_agg.lines
where true /*filters*/
