-- severity: error
-- description: gold.fact_sales has exactly one row per silver sales line
select fact_rows, sales_rows
from (select count(*) as fact_rows from gold.fact_sales)
cross join (select count(*) as sales_rows from silver.crm_sales_details)
where fact_rows <> sales_rows
