-- orders counted by customer codes and day (the days of a date range that do not fill a month; no product filter)
select cn, ge, ma, va, rf, make_date(year(order_date), month(order_date), 1) as month, orders,
from temp.dash_day_order_cube
where true /*filters*/
