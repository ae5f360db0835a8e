-- each customer's sales and orders within a date range, from their orders (only dated lines fall in a range)
select customer_key, sum(dated_sales) as sales, count(*) as orders, 1 as customers,
from dash_agg.orders
where customer_key is not null /*filters*/
group by customer_key
