-- each customer's first order day, without a product filter
select customer_key, first_date,
from temp.dash_buyers
where first_date is not null /*filters*/
