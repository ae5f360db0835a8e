-- each customer's first order day with a line under a product filter
select customer_key, min(order_date) as first_date,
from dash_agg.orders
where customer_key is not null and order_date is not null /*filters*/
group by customer_key
