-- each customer's first order day with a line under a product filter
select min(order_date) as first_date, 1 as customers,
from dash_agg.orders
where customer_key is not null and order_date is not null /*filters*/
group by customer_key
