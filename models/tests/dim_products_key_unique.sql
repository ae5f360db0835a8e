-- severity: error
-- description: gold.dim_products has one row per product_key and per product_number
select product_key, product_number
from gold.dim_products
qualify count(*) over (partition by product_key) > 1
    or count(*) over (partition by product_number) > 1
