-- the same columns of the top buyers of each combination of customer codes (customer filters only): they hold the list's customers
select customer_key, c_first_name as first_name, c_last_name as last_name, c_customer_number as customer_number, c_country as country,
from temp.dash_top_buyers
where true /*filters*/
