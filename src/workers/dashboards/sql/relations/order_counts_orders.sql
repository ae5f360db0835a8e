-- single orders, each counted once (a product filter tests the order's mask of classes)
select cn, ge, ma, va, rf, month, 1 as orders,
from dash_agg.orders
where true /*filters*/
