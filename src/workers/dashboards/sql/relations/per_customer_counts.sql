-- buyers and their sales by number of orders, from the cube (customer filters only)
select sales, orders, customers,
from temp.dash_buyer_orders
where true /*filters*/
