-- grain: one row per silver cleaning rule that touched at least one row
-- Compares each bronze row with what silver made of it (joined on _source_line),
-- so the counts measure what the rules did rather than restating them (money: in exact decimals).
with

customers as (
    select b.*, s.cst_id as s_cst_id, s.cst_firstname as s_first, s.cst_lastname as s_last,
        s.cst_marital_status as s_marital, s.cst_gndr as s_gender,
    from bronze.crm_cust_info as b
    left join silver.crm_cust_info as s using (_source_line)
),

products as (
    select b.*, s.prd_cost as s_cost, s.prd_line as s_line, s.prd_end_dt as s_end,
    from bronze.crm_prd_info as b
    join silver.crm_prd_info as s using (_source_line)
),

sales as (
    select b.*, s.sls_order_dt as s_order, s.sls_ship_dt as s_ship, s.sls_due_dt as s_due,
        s.sls_sales as s_sales, s.sls_price as s_price,
    from bronze.crm_sales_details as b
    join silver.crm_sales_details as s using (_source_line)
),

erp_customers as (
    select b.*, s.bdate as s_bdate, s.gen as s_gen,
    from bronze.erp_cust_az12 as b
    join silver.erp_cust_az12 as s using (_source_line)
),

erp_locations as (
    select b.*, s.cntry as s_country,
    from bronze.erp_loc_a101 as b
    join silver.erp_loc_a101 as s using (_source_line)
),

touched as (
    select 'crm_cust_info' as model, 'dropped' as action, 'cst_id missing or not a number' as rule, _source_line
    from customers where s_cst_id is null and try_cast(trim(cst_id) as bigint) is null
    union all
    select 'crm_cust_info', 'dropped', 'older duplicate of a cst_id', _source_line
    from customers where s_cst_id is null and try_cast(trim(cst_id) as bigint) is not null
    union all
    select 'crm_cust_info', 'repaired', 'names trimmed', _source_line
    from customers where s_cst_id is not null and (cst_firstname <> s_first or cst_lastname <> s_last)
    union all
    select 'crm_cust_info', 'repaired', 'marital status unknown: n/a', _source_line
    from customers where s_marital = 'n/a'
    union all
    select 'crm_cust_info', 'repaired', 'gender unknown: n/a', _source_line
    from customers where s_gender = 'n/a'
    union all
    select 'crm_prd_info', 'repaired', 'missing cost: 0', _source_line
    from products where nullif(trim(prd_cost), '') is null
    union all
    select 'crm_prd_info', 'repaired', 'product line unknown: n/a', _source_line
    from products where s_line = 'n/a'
    union all
    select 'crm_prd_info', 'repaired', 'end date recomputed from the history', _source_line
    from products where try_cast(trim(prd_end_dt) as date) is distinct from s_end
    union all
    select 'crm_sales_details', 'repaired', 'invalid order date: NULL', _source_line
    from sales where nullif(trim(sls_order_dt), '') is not null and s_order is null
    union all
    select 'crm_sales_details', 'repaired', 'invalid ship date: NULL', _source_line
    from sales where nullif(trim(sls_ship_dt), '') is not null and s_ship is null
    union all
    select 'crm_sales_details', 'repaired', 'invalid due date: NULL', _source_line
    from sales where nullif(trim(sls_due_dt), '') is not null and s_due is null
    union all
    select 'crm_sales_details', 'repaired', 'sales recomputed as quantity × price', _source_line
    from sales where try_cast(trim(sls_sales) as decimal(18, 6)) is distinct from try_cast(s_sales as decimal(38, 6))
    union all
    select 'crm_sales_details', 'repaired', 'price derived from sales ÷ quantity', _source_line
    from sales where try_cast(trim(sls_price) as decimal(18, 6)) is distinct from try_cast(s_price as decimal(38, 6))
    union all
    select 'erp_cust_az12', 'repaired', 'NAS prefix removed from CID', _source_line
    from erp_customers where trim(cid) like 'NAS%'
    union all
    select 'erp_cust_az12', 'repaired', 'future birthdate: NULL', _source_line
    from erp_customers where try_cast(trim(bdate) as date) is not null and s_bdate is null
    union all
    select 'erp_cust_az12', 'repaired', 'gender unknown: n/a', _source_line
    from erp_customers where s_gen = 'n/a'
    union all
    select 'erp_loc_a101', 'repaired', 'dashes removed from CID', _source_line
    from erp_locations where cid like '%-%'
    union all
    select 'erp_loc_a101', 'repaired', 'country code expanded', _source_line
    from erp_locations where s_country in ('Germany', 'United States') and s_country <> trim(cntry)
    union all
    select 'erp_loc_a101', 'repaired', 'country missing: n/a', _source_line
    from erp_locations where s_country = 'n/a'
)

select
    model,
    action,
    rule,
    count(*) as rows,
    array_to_string(list(_source_line order by _source_line)[1:5], ', ') as first_lines,
from touched
group by all
order by model, action, rule
