-- each customer's sales and orders under a product filter: orders from their masks, sales from the lines
with

counted as (
    select customer_key, count(*) as orders,
    from dash_agg.orders
    where customer_key is not null /*order filters*/
    group by customer_key
),

summed as (
    -- an exact decimal sum (the total_sales measure): customers of equal sales tie as over the gold lines
    select customer_key, sum(sales_amount::decimal(38, 6))::double as sales,
    from dash_agg.lines
    where customer_key is not null /*line filters*/
    group by customer_key
)

select s.customer_key, s.sales, c.orders, 1 as customers,
from summed as s
join counted as c on c.customer_key = s.customer_key
