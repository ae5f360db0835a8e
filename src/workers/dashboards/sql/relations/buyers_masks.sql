-- customers who bought, counted by customer codes and the mask of classes bought (a product filter, no date range)
select null::integer as customer_key, cn, ge, ma, va, rf, customers,
from temp.dash_buyer_masks
where true /*filters*/
