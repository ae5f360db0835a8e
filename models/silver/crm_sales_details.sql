-- grain: one row per sales order line
with

typed as (
    select
        trim(sls_ord_num) as sls_ord_num,
        trim(sls_prd_key) as sls_prd_key,
        try_cast(trim(sls_cust_id) as bigint) as sls_cust_id,
        -- yyyymmdd integers; 0 or anything but 8 digits is no date
        case when regexp_full_match(trim(sls_order_dt), '[0-9]{8}')
            then try_strptime(trim(sls_order_dt), '%Y%m%d')::date end as sls_order_dt,
        case when regexp_full_match(trim(sls_ship_dt), '[0-9]{8}')
            then try_strptime(trim(sls_ship_dt), '%Y%m%d')::date end as sls_ship_dt,
        case when regexp_full_match(trim(sls_due_dt), '[0-9]{8}')
            then try_strptime(trim(sls_due_dt), '%Y%m%d')::date end as sls_due_dt,
        try_cast(trim(sls_sales) as double) as source_sales,
        try_cast(trim(sls_quantity) as bigint) as sls_quantity,
        try_cast(trim(sls_price) as double) as source_price,
        _source_line,
    from bronze.crm_sales_details
),

-- sales = quantity × |price| when missing, not positive or inconsistent
sales_fixed as (
    select
        *,
        case
            when source_sales is null
                or source_sales <= 0
                or source_sales <> sls_quantity * abs(source_price)
                then sls_quantity * abs(source_price)
            else source_sales
        end as recomputed_sales,
    from typed
),

-- a missing price keeps the file's sales; the price is then derived from it
with_sales as (
    select
        *,
        coalesce(recomputed_sales, source_sales) as sls_sales,
    from sales_fixed
)

select
    sls_ord_num,
    sls_prd_key,
    sls_cust_id,
    sls_order_dt,
    sls_ship_dt,
    sls_due_dt,
    sls_sales,
    sls_quantity,
    case
        when source_price is null or source_price <= 0
            then trunc(sls_sales / nullif(sls_quantity, 0))
        else source_price
    end as sls_price,
    _source_line,
from with_sales
