-- orders counted by customer codes, day and their masks (the days at the ends of a date range; a product filter tests the masks)
select cn, ge, ma, va, rf, make_date(year(order_date), month(order_date), 1) as month, orders,
from temp.dash_day_order_masks
where true /*filters*/
