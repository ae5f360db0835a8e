-- grain: one row per silver cleaning rule that touched at least one row
-- Compares each bronze row with what silver made of it (joined on _source_line),
-- so the counts measure what the rules did rather than restating them (money: in exact decimals).
-- Each source is joined once and its rules counted in that pass (the first five lines kept, not every line).
with

customers as (
    select
        b._source_line,
        s.cst_id is null and try_cast(trim(b.cst_id) as bigint) is null as id_missing,
        s.cst_id is null and try_cast(trim(b.cst_id) as bigint) is not null as older_duplicate,
        s.cst_id is not null and (b.cst_firstname <> s.cst_firstname or b.cst_lastname <> s.cst_lastname) as names_trimmed,
        s.cst_marital_status = 'n/a' as marital_unknown,
        s.cst_gndr = 'n/a' as gender_unknown,
    from bronze.crm_cust_info as b
    left join silver.crm_cust_info as s using (_source_line)
),

products as (
    select
        b._source_line,
        nullif(trim(b.prd_cost), '') is null as cost_missing,
        s.prd_line = 'n/a' as line_unknown,
        try_cast(trim(b.prd_end_dt) as date) is distinct from s.prd_end_dt as end_recomputed,
    from bronze.crm_prd_info as b
    join silver.crm_prd_info as s using (_source_line)
),

sales as (
    select
        b._source_line,
        nullif(trim(b.sls_order_dt), '') is not null and s.sls_order_dt is null as order_date_invalid,
        nullif(trim(b.sls_ship_dt), '') is not null and s.sls_ship_dt is null as ship_date_invalid,
        nullif(trim(b.sls_due_dt), '') is not null and s.sls_due_dt is null as due_date_invalid,
        try_cast(trim(b.sls_sales) as decimal(18, 6)) is distinct from try_cast(s.sls_sales as decimal(38, 6)) as sales_recomputed,
        try_cast(trim(b.sls_price) as decimal(18, 6)) is distinct from try_cast(s.sls_price as decimal(38, 6)) as price_derived,
    from bronze.crm_sales_details as b
    join silver.crm_sales_details as s using (_source_line)
),

erp_customers as (
    select
        b._source_line,
        trim(b.cid) like 'NAS%' as nas_removed,
        try_cast(trim(b.bdate) as date) is not null and s.bdate is null as future_birthdate,
        s.gen = 'n/a' as gender_unknown,
    from bronze.erp_cust_az12 as b
    join silver.erp_cust_az12 as s using (_source_line)
),

erp_locations as (
    select
        b._source_line,
        b.cid like '%-%' as dashes_removed,
        s.cntry in ('Germany', 'United States') and s.cntry <> trim(b.cntry) as code_expanded,
        s.cntry = 'n/a' as country_missing,
    from bronze.erp_loc_a101 as b
    join silver.erp_loc_a101 as s using (_source_line)
),

-- per rule: how many rows it touched and the first five of their lines
touched as (
    select unnest([
        ('crm_cust_info', 'dropped', 'cst_id missing or not a number', count(*) filter (where id_missing), min(_source_line, 5) filter (where id_missing)),
        ('crm_cust_info', 'dropped', 'older duplicate of a cst_id', count(*) filter (where older_duplicate), min(_source_line, 5) filter (where older_duplicate)),
        ('crm_cust_info', 'repaired', 'names trimmed', count(*) filter (where names_trimmed), min(_source_line, 5) filter (where names_trimmed)),
        ('crm_cust_info', 'repaired', 'marital status unknown: n/a', count(*) filter (where marital_unknown), min(_source_line, 5) filter (where marital_unknown)),
        ('crm_cust_info', 'repaired', 'gender unknown: n/a', count(*) filter (where gender_unknown), min(_source_line, 5) filter (where gender_unknown)),
    ]) as t from customers
    union all
    select unnest([
        ('crm_prd_info', 'repaired', 'missing cost: 0', count(*) filter (where cost_missing), min(_source_line, 5) filter (where cost_missing)),
        ('crm_prd_info', 'repaired', 'product line unknown: n/a', count(*) filter (where line_unknown), min(_source_line, 5) filter (where line_unknown)),
        ('crm_prd_info', 'repaired', 'end date recomputed from the history', count(*) filter (where end_recomputed), min(_source_line, 5) filter (where end_recomputed)),
    ]) from products
    union all
    select unnest([
        ('crm_sales_details', 'repaired', 'invalid order date: NULL', count(*) filter (where order_date_invalid), min(_source_line, 5) filter (where order_date_invalid)),
        ('crm_sales_details', 'repaired', 'invalid ship date: NULL', count(*) filter (where ship_date_invalid), min(_source_line, 5) filter (where ship_date_invalid)),
        ('crm_sales_details', 'repaired', 'invalid due date: NULL', count(*) filter (where due_date_invalid), min(_source_line, 5) filter (where due_date_invalid)),
        ('crm_sales_details', 'repaired', 'sales recomputed as quantity × price', count(*) filter (where sales_recomputed), min(_source_line, 5) filter (where sales_recomputed)),
        ('crm_sales_details', 'repaired', 'price derived from sales ÷ quantity', count(*) filter (where price_derived), min(_source_line, 5) filter (where price_derived)),
    ]) from sales
    union all
    select unnest([
        ('erp_cust_az12', 'repaired', 'NAS prefix removed from CID', count(*) filter (where nas_removed), min(_source_line, 5) filter (where nas_removed)),
        ('erp_cust_az12', 'repaired', 'future birthdate: NULL', count(*) filter (where future_birthdate), min(_source_line, 5) filter (where future_birthdate)),
        ('erp_cust_az12', 'repaired', 'gender unknown: n/a', count(*) filter (where gender_unknown), min(_source_line, 5) filter (where gender_unknown)),
    ]) from erp_customers
    union all
    select unnest([
        ('erp_loc_a101', 'repaired', 'dashes removed from CID', count(*) filter (where dashes_removed), min(_source_line, 5) filter (where dashes_removed)),
        ('erp_loc_a101', 'repaired', 'country code expanded', count(*) filter (where code_expanded), min(_source_line, 5) filter (where code_expanded)),
        ('erp_loc_a101', 'repaired', 'country missing: n/a', count(*) filter (where country_missing), min(_source_line, 5) filter (where country_missing)),
    ]) from erp_locations
)

select
    t[1] as model,
    t[2] as action,
    t[3] as rule,
    t[4] as rows,
    array_to_string(t[5], ', ') as first_lines,
from touched
where t[4] > 0
order by model, action, rule
