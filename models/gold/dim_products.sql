-- grain: one row per current product (a version with no end date)
with

current_products as (
    select * from silver.crm_prd_info
    where prd_end_dt is null
),

categories as (
    select * from silver.erp_px_cat_g1v2
)

select
    row_number() over (order by p.prd_start_dt, p.prd_key, p._source_line) as product_key,
    p.prd_id as product_id,
    p.prd_key as product_number,
    p.prd_nm as product_name,
    p.cat_id as category_id,
    c.cat as category,
    c.subcat as subcategory,
    c.maintenance as maintenance,
    p.prd_cost as cost,
    p.prd_line as product_line,
    p.prd_start_dt as start_date,
from current_products as p
left join categories as c on p.cat_id = c.id
order by product_key
