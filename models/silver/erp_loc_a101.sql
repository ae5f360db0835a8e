-- grain: one row per ERP location record
with

trimmed as (
    select
        replace(trim(cid), '-', '') as cid,
        trim(cntry) as cntry,
        _source_line,
    from bronze.erp_loc_a101
)

select
    cid,
    case
        when cntry = 'DE' then 'Germany'
        when cntry in ('US', 'USA') then 'United States'
        when cntry is null or cntry = '' then 'n/a'
        else cntry
    end as cntry,
    _source_line,
from trimmed
