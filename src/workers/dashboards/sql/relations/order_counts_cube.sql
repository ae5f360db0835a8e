-- orders counted by customer codes and month (no product filter: every order counts once)
select cn, ge, ma, va, rf, month, orders,
from temp.dash_order_cube
where true /*filters*/
