-- the top buyers by sales of each combination of customer codes (customer filters only): enough for any top 100
select customer_key, sales, orders, customers,
from temp.dash_top_buyers
where true /*filters*/
