-- grain: one row per sales order line
-- slices: silver.crm_sales_details
-- (built a range of its lines at a time: each line joined to the dimensions, ordered by line, so the rows are the same)
with

sales as (
    select * from silver.crm_sales_details
),

products as (
    select product_key, product_number from gold.dim_products
),

customers as (
    select customer_key, customer_id from gold.dim_customers
)

select
    s.sls_ord_num as order_number,
    p.product_key,
    c.customer_key,
    s.sls_order_dt as order_date,
    s.sls_ship_dt as shipping_date,
    s.sls_due_dt as due_date,
    s.sls_sales as sales_amount,
    s.sls_quantity as quantity,
    s.sls_price as price,
from sales as s
left join products as p on s.sls_prd_key = p.product_number
left join customers as c on s.sls_cust_id = c.customer_id
-- the lines in file order, whatever the number of threads that joined them
order by s._source_line
