-- each customer's first order day, without a product filter
select customer_key, first_date, 1 as customers,
from temp.dash_buyers
where first_date is not null /*filters*/
