-- cells from a cube by day (the days of a date range that do not fill a month)
select cat, sub, line, cn, ge, ma, va, rf, buyer, make_date(year(order_date), month(order_date), 1) as month, sales, units,
from temp.dash_day_cube
where true /*filters*/
