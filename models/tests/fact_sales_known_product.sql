-- severity: warn
-- description: every sales line finds its current product in gold.dim_products
select order_number, order_date
from gold.fact_sales
where product_key is null
