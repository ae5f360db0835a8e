-- customers who bought in the whole months of a date range (a bit of their months mask), counted by customer codes and months
select null::integer as customer_key, cn, ge, ma, va, rf, customers,
from temp.dash_buyer_months
where true /*filters*/
