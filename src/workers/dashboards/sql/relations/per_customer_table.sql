-- each customer's sales and orders, without a date or product filter: their lifetime figures
select customer_key, sales, orders, 1 as customers,
from temp.dash_buyers
where true /*filters*/
