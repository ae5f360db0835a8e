-- grain: one row per product version (a product key with a start date)
with

typed as (
    select
        try_cast(trim(prd_id) as bigint) as prd_id,
        trim(prd_key) as source_key,
        replace(substr(trim(prd_key), 1, 5), '-', '_') as cat_id,
        substr(trim(prd_key), 7) as prd_key,
        trim(prd_nm) as prd_nm,
        coalesce(try_cast(trim(prd_cost) as double), 0) as prd_cost,
        case upper(trim(prd_line))
            when 'M' then 'Mountain'
            when 'R' then 'Road'
            when 'S' then 'Other Sales'
            when 'T' then 'Touring'
            else 'n/a'
        end as prd_line,
        try_cast(trim(prd_start_dt) as date) as prd_start_dt,
        _source_line,
    from bronze.crm_prd_info
),

-- the file's own end date is not trusted: a version ends the day before the next one starts
with_history as (
    select
        *,
        lead(prd_start_dt) over (partition by source_key order by prd_start_dt, _source_line) - 1 as prd_end_dt,
    from typed
)

select
    prd_id,
    cat_id,
    prd_key,
    prd_nm,
    prd_cost,
    prd_line,
    prd_start_dt,
    prd_end_dt,
    _source_line,
from with_history
