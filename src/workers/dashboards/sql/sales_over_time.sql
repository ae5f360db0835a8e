-- grain: one row per month, or per year when the parameter is 'year' (lines without a valid order date left out)
with

periods as (
    select
        -- make_date, not date_trunc: DuckDB 1.4.3 groups date_trunc's NULLs wrongly beside count(distinct)
        case
            when ? = 'year' then make_date(year(order_date), 1, 1)
            else make_date(year(order_date), month(order_date), 1)
        end as period,
        sales_amount,
        quantity,
        order_number,
    from lines
    where order_date is not null
)

select
    strftime(period, '%Y-%m-%d') as period,
    total_sales(sales_amount) as sales,
    total_units(quantity)::bigint as units,
    total_orders(order_number) as orders,
from periods
group by period
order by period
