-- grain: one row per customer id (cst_id), its latest record
with

typed as (
    select
        -- trim(x), taken as it is when all ASCII with no space at either end: the same value, less work
        try_cast(case when not prefix(cst_id, ' ') and not suffix(cst_id, ' ') and strlen(cst_id) = length(cst_id)
            then cst_id else trim(cst_id) end as bigint) as cst_id,
        case when not prefix(cst_key, ' ') and not suffix(cst_key, ' ') and strlen(cst_key) = length(cst_key)
            then cst_key else trim(cst_key) end as cst_key,
        case when not prefix(cst_firstname, ' ') and not suffix(cst_firstname, ' ') and strlen(cst_firstname) = length(cst_firstname)
            then cst_firstname else trim(cst_firstname) end as cst_firstname,
        case when not prefix(cst_lastname, ' ') and not suffix(cst_lastname, ' ') and strlen(cst_lastname) = length(cst_lastname)
            then cst_lastname else trim(cst_lastname) end as cst_lastname,
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
