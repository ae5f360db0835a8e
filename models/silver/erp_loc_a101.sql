-- grain: one row per ERP location record
with

trimmed as (
    select
        -- trim(x), taken as it is when all ASCII with no space at either end: the same value, less work
        replace(case when not prefix(cid, ' ') and not suffix(cid, ' ') and strlen(cid) = length(cid)
            then cid else trim(cid) end, '-', '') as cid,
        trim(cntry) as cntry,
        _source_line,
    from bronze.erp_loc_a101
)

-- codes in any case: ERPs differ in how they write them
select
    cid,
    case
        when upper(cntry) = 'DE' then 'Germany'
        when upper(cntry) in ('US', 'USA') then 'United States'
        when cntry is null or cntry = '' then 'n/a'
        else cntry
    end as cntry,
    _source_line,
from trimmed
