-- severity: warn
-- description: every sales line finds its customer in gold.dim_customers
select order_number, order_date
from gold.fact_sales
where customer_key is null
