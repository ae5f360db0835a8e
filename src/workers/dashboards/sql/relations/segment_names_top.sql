-- the same columns of the top buyers of each combination of customer codes (customer filters only): they hold the list's customers
select customer_key, s_customer_number as customer_number, s_first_name as first_name, s_last_name as last_name, s_country as country,
    s_value_segment as value_segment, s_rfm_segment as rfm_segment, s_total_sales as total_sales, s_last_order_date as last_order_date,
from temp.dash_top_buyers
where true /*filters*/
