-- grain: one row per sales order line
-- slices: bronze.crm_sales_details
-- (built a range of its lines at a time: each line typed on its own, in file order, so the rows are the same)
with

typed as (
    select
        -- trim(x), taken as it is when all ASCII with no space at either end: the same value, less work
        case when not prefix(sls_ord_num, ' ') and not suffix(sls_ord_num, ' ') and strlen(sls_ord_num) = length(sls_ord_num)
            then sls_ord_num else trim(sls_ord_num) end as sls_ord_num,
        trim(sls_prd_key) as sls_prd_key,
        try_cast(case when not prefix(sls_cust_id, ' ') and not suffix(sls_cust_id, ' ') and strlen(sls_cust_id) = length(sls_cust_id)
                then sls_cust_id else trim(sls_cust_id) end as bigint) as sls_cust_id,
        -- yyyymmdd integers; 0 or anything but 8 digits is no date
        case when regexp_full_match(trim(sls_order_dt), '[0-9]{8}')
            then try_strptime(trim(sls_order_dt), '%Y%m%d')::date end as sls_order_dt,
        case when regexp_full_match(trim(sls_ship_dt), '[0-9]{8}')
            then try_strptime(trim(sls_ship_dt), '%Y%m%d')::date end as sls_ship_dt,
        case when regexp_full_match(trim(sls_due_dt), '[0-9]{8}')
            then try_strptime(trim(sls_due_dt), '%Y%m%d')::date end as sls_due_dt,
        -- money in exact decimals: in floating point 7 × 19.99 is 139.92999999999998, not 139.93
        try_cast(trim(sls_sales) as decimal(18, 6)) as source_sales,
        try_cast(trim(sls_quantity) as bigint) as sls_quantity,
        try_cast(trim(sls_price) as decimal(18, 6)) as source_price,
        _source_line,
    from bronze.crm_sales_details
),

-- quantity × |price| is a DECIMAL(37, 6): exact, and never overflows
line_totals as (
    select
        *,
        sls_quantity * abs(source_price) as line_total,
    from typed
),

-- sales = quantity × |price| when missing, not positive or inconsistent;
-- a missing price keeps the file's sales
with_sales as (
    select
        *,
        case
            when line_total is not null
                and (source_sales is null or source_sales <= 0 or source_sales <> line_total)
                then line_total
            else source_sales
        end as exact_sales,
    from line_totals
)

select
    sls_ord_num,
    sls_prd_key,
    sls_cust_id,
    sls_order_dt,
    sls_ship_dt,
    sls_due_dt,
    exact_sales::double as sls_sales,
    sls_quantity,
    -- a missing or non-positive price is sales ÷ quantity, truncated to the cent (in whole cents, exactly)
    case
        when source_price is null or source_price <= 0
            then (trunc(exact_sales * 100)::hugeint // nullif(sls_quantity, 0)) / 100
        else source_price::double
    end as sls_price,
    _source_line,
from with_sales
