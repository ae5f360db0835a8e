-- grain: one row per CRM customer record that silver dropped, with the reason
with

source as (
    select * from bronze.crm_cust_info
),

kept as (
    select cst_id, _source_line from silver.crm_cust_info
),

-- the dropped records first: the join to the kept record's line then reads only those
dropped as (
    select * from source
    where _source_line not in (select _source_line from kept)
)

select
    s.*,
    case
        when try_cast(trim(s.cst_id) as bigint) is null
            then 'cst_id is missing or not a number'
        else 'older record of cst_id ' || trim(s.cst_id) || ' (kept line ' || k._source_line || ')'
    end as reject_reason,
from dropped as s
left join kept as k on try_cast(trim(s.cst_id) as bigint) = k.cst_id
order by s._source_line
