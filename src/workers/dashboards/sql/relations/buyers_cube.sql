-- customers who bought, counted by customer codes (no product filter, no date range)
select null::integer as customer_key, cn, ge, ma, va, rf, customers,
from temp.dash_buyer_cube
where true /*filters*/
