-- grain: one row per customer id (cst_id), its latest record
with

typed as (
    select
        try_cast(trim(cst_id) as bigint) as cst_id,
        trim(cst_key) as cst_key,
        trim(cst_firstname) as cst_firstname,
        trim(cst_lastname) as cst_lastname,
        case upper(trim(cst_marital_status))
            when 'S' then 'Single'
            when 'M' then 'Married'
            else 'n/a'
        end as cst_marital_status,
        case upper(trim(cst_gndr))
            when 'F' then 'Female'
            when 'M' then 'Male'
            else 'n/a'
        end as cst_gndr,
        try_cast(trim(cst_create_date) as date) as cst_create_date,
        _source_line,
    from bronze.crm_cust_info
),

latest_first as (
    select
        *,
        row_number() over (
            partition by cst_id
            order by cst_create_date desc nulls last, _source_line desc
        ) as recency_rank,
    from typed
    where cst_id is not null
)

select
    cst_id,
    cst_key,
    cst_firstname,
    cst_lastname,
    cst_marital_status,
    cst_gndr,
    cst_create_date,
    _source_line,
from latest_first
where recency_rank = 1
