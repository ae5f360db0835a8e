-- grain: one row per customer
with

crm as (
    select * from silver.crm_cust_info
),

-- one ERP record per customer number, should an export repeat one: the earliest birthdate,
-- then the first line (a streaming arg_min, not a sort of every record)
erp_customers as (
    select
        cid,
        arg_min({bdate: bdate, gen: gen}, {no_date: bdate is null, bdate: coalesce(bdate, date '0001-01-01'), line: _source_line}) as erp,
    from silver.erp_cust_az12
    group by cid
),

-- the first country in sort order, as `distinct on (cid) ... order by cid, cntry` picks it, but
-- grouped by hash instead of sorted: 1.8 M location records at scale 100
erp_locations as (
    select cid, min(cntry) as cntry
    from silver.erp_loc_a101
    group by cid
)

select
    row_number() over (order by crm.cst_id) as customer_key,
    crm.cst_id as customer_id,
    crm.cst_key as customer_number,
    crm.cst_firstname as first_name,
    crm.cst_lastname as last_name,
    coalesce(loc.cntry, 'n/a') as country,
    crm.cst_marital_status as marital_status,
    -- the CRM is the master for gender; the ERP fills in where the CRM has none
    case
        when crm.cst_gndr <> 'n/a' then crm.cst_gndr
        else coalesce(erp.erp.gen, 'n/a')
    end as gender,
    erp.erp.bdate as birthdate,
    crm.cst_create_date as create_date,
from crm
left join erp_customers as erp on crm.cst_key = erp.cid
left join erp_locations as loc on crm.cst_key = loc.cid
order by customer_key
