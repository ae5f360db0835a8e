-- each customer's sales and orders, without a date or product filter: their lifetime figures
select customer_key, sales, orders,
from dash_agg.buyers
where true /*filters*/
