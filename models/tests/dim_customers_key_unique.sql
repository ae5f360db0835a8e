-- severity: error
-- description: gold.dim_customers has one row per customer_key and per customer_id
select customer_key, customer_id, count(*) over (partition by customer_id) as rows_for_id
from gold.dim_customers
qualify count(*) over (partition by customer_key) > 1 or rows_for_id > 1
