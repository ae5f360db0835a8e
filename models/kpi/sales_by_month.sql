-- grain: one row per calendar month of the order date (null: no valid order date)
with

lines as (
    select
        f.*,
        -- not date_trunc: DuckDB 1.4.3 groups its NULLs wrongly beside count(distinct)
        make_date(year(f.order_date), month(f.order_date), 1) as month,
    from gold.fact_sales as f
)

select
    month,
    total_sales(sales_amount) as sales,
    total_units(quantity) as units,
    total_orders(order_number) as orders,
    total_customers(customer_key) as customers,
    avg_order_value(sales_amount, order_number) as avg_order_value,
    total_sales(sales_amount) / sum(total_sales(sales_amount)::decimal(38, 6)) over () as share_of_sales,
from lines
group by all
order by month nulls last
