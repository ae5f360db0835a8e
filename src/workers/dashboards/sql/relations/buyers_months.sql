-- customers who bought in the whole months of a date range (a bit of their months mask)
select customer_key, cn, ge, ma, va, rf, 1 as customers,
from temp.dash_buyers
where true /*filters*/
