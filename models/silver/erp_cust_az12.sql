-- grain: one row per ERP customer record
with

typed as (
    select
        -- trim(x), taken as it is when all ASCII with no space at either end: the same value, less work
        case when not prefix(cid, ' ') and not suffix(cid, ' ') and strlen(cid) = length(cid)
            then cid else trim(cid) end as cid,
        try_cast(trim(bdate) as date) as bdate,
        upper(trim(gen)) as gen,
        _source_line,
    from bronze.erp_cust_az12
)

select
    case when cid like 'NAS%' then substr(cid, 4) else cid end as cid,
    case when bdate > getvariable('run_date') then null else bdate end as bdate,
    case
        when gen in ('F', 'FEMALE') then 'Female'
        when gen in ('M', 'MALE') then 'Male'
        else 'n/a'
    end as gen,
    _source_line,
from typed
