-- customers who bought, without a date filter (a product filter tests their mask of classes)
select customer_key, cn, ge, ma, va, rf, 1 as customers,
from temp.dash_buyers
where true /*filters*/
