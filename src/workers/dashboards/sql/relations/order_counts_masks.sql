-- orders counted by customer codes, month and their masks (a product filter tests the masks)
select cn, ge, ma, va, rf, month, orders,
from temp.dash_order_masks
where true /*filters*/
