-- The benchmark's floor (bench/floor.ts): the least work native DuckDB needs to write the same
-- package tables as the pipeline, with the same rules as models/ — typed reads, silver as views
-- (each is read once), no bronze copy, no validation, no quarantine, no line numbers.
-- ${in} and ${out} are replaced by folder paths (ending in /), ${run_date} by the pipeline's today
-- and ${csv} by the pipeline's CSV options.
-- Each `-- step:` starts one timed statement.

-- step: read crm_cust_info
-- Money as the pipeline's measures sum it: in exact decimals, given back as DOUBLE.
create macro total_sales(sales_amount) as sum(sales_amount::decimal(38, 6))::double;
create macro avg_order_value(sales_amount, order_number) as
    sum(sales_amount::decimal(38, 6))::double / nullif(count(distinct order_number), 0);
-- trim(x), taken as it is when all ASCII with no space at either end (models/silver/*.sql do the
-- same): trim decodes every character of every value, this test does not.
create macro trimmed(x) as case when not prefix(x, ' ') and not suffix(x, ' ') and strlen(x) = length(x) then x else trim(x) end;
-- Tables, not views, where a rule breaks ties by file order (their rowid): the newest customer
-- record, a product's next version and its key, an ERP customer's first record.
create table crm_cust as
select * from read_csv('${in}source_crm/cust_info.csv', header = true, auto_detect = false, quote = '"', escape = '"', columns = {
    'cst_id': 'bigint', 'cst_key': 'varchar', 'cst_firstname': 'varchar', 'cst_lastname': 'varchar',
    'cst_marital_status': 'varchar', 'cst_gndr': 'varchar', 'cst_create_date': 'date'});

create table crm_prd as
select * from read_csv('${in}source_crm/prd_info.csv', header = true, auto_detect = false, quote = '"', escape = '"', columns = {
    'prd_id': 'bigint', 'prd_key': 'varchar', 'prd_nm': 'varchar', 'prd_cost': 'double',
    'prd_line': 'varchar', 'prd_start_dt': 'date', 'prd_end_dt': 'varchar'});
create table erp_cust as
select * from read_csv('${in}source_erp/CUST_AZ12.csv', header = true, auto_detect = false, quote = '"', escape = '"', columns = {
    'cid': 'varchar', 'bdate': 'date', 'gen': 'varchar'});

-- step: silver views
create view crm_sales as
select * from read_csv('${in}source_crm/sales_details.csv', header = true, auto_detect = false, quote = '"', escape = '"', columns = {
    'sls_ord_num': 'varchar', 'sls_prd_key': 'varchar', 'sls_cust_id': 'bigint', 'sls_order_dt': 'integer',
    'sls_ship_dt': 'integer', 'sls_due_dt': 'integer', 'sls_sales': 'decimal(18, 6)', 'sls_quantity': 'bigint',
    'sls_price': 'decimal(18, 6)'});
create view erp_loc as
select * from read_csv('${in}source_erp/LOC_A101.csv', header = true, auto_detect = false, quote = '"', escape = '"', columns = {
    'cid': 'varchar', 'cntry': 'varchar'});
create view erp_cat as
select * from read_csv('${in}source_erp/PX_CAT_G1V2.csv', header = true, auto_detect = false, quote = '"', escape = '"', columns = {
    'id': 'varchar', 'cat': 'varchar', 'subcat': 'varchar', 'maintenance': 'varchar'});

create view silver_customers as
select cst_id, trimmed(cst_key) as cst_key, trimmed(cst_firstname) as cst_firstname, trimmed(cst_lastname) as cst_lastname,
    case upper(trimmed(cst_marital_status)) when 'S' then 'Single' when 'M' then 'Married' else 'n/a' end as cst_marital_status,
    case upper(trimmed(cst_gndr)) when 'F' then 'Female' when 'M' then 'Male' else 'n/a' end as cst_gndr,
    cst_create_date,
from crm_cust
where cst_id is not null
qualify row_number() over (partition by cst_id order by cst_create_date desc nulls last, rowid desc) = 1;

create view silver_products as
select prd_id, replace(substr(trimmed(prd_key), 1, 5), '-', '_') as cat_id, substr(trimmed(prd_key), 7) as prd_key,
    trimmed(prd_nm) as prd_nm, coalesce(prd_cost, 0) as prd_cost,
    case upper(trimmed(prd_line)) when 'M' then 'Mountain' when 'R' then 'Road' when 'S' then 'Other Sales'
        when 'T' then 'Touring' else 'n/a' end as prd_line,
    prd_start_dt,
    lead(prd_start_dt) over (partition by trimmed(prd_key) order by prd_start_dt, rowid) - 1 as prd_end_dt,
    rowid as source_row,
from crm_prd;

create view silver_sales as
with typed as (
    select trimmed(sls_ord_num) as sls_ord_num, trimmed(sls_prd_key) as sls_prd_key, sls_cust_id,
        case when sls_order_dt between 10000000 and 99999999 then try_strptime(sls_order_dt::varchar, '%Y%m%d')::date end as sls_order_dt,
        case when sls_ship_dt between 10000000 and 99999999 then try_strptime(sls_ship_dt::varchar, '%Y%m%d')::date end as sls_ship_dt,
        case when sls_due_dt between 10000000 and 99999999 then try_strptime(sls_due_dt::varchar, '%Y%m%d')::date end as sls_due_dt,
        sls_sales as source_sales, sls_quantity, sls_price as source_price,
    from crm_sales
),
fixed as (
    select *, case when line_total is not null and (source_sales is null or source_sales <= 0 or source_sales <> line_total)
        then line_total else source_sales end as exact_sales,
    from (select *, sls_quantity * abs(source_price) as line_total from typed)
)
select sls_ord_num, sls_prd_key, sls_cust_id, sls_order_dt, sls_ship_dt, sls_due_dt, exact_sales::double as sls_sales, sls_quantity,
    case when source_price is null or source_price <= 0 then (trunc(exact_sales * 100)::hugeint // nullif(sls_quantity, 0)) / 100
        else source_price::double end as sls_price,
from fixed;

create view silver_erp_customers as
with typed as (select trimmed(cid) as cid, bdate, upper(trimmed(gen)) as gen, rowid as source_row from erp_cust)
select case when cid like 'NAS%' then substr(cid, 4) else cid end as cid,
    case when bdate > ${run_date} then null else bdate end as bdate,
    case when gen in ('F', 'FEMALE') then 'Female' when gen in ('M', 'MALE') then 'Male' else 'n/a' end as gen,
    source_row,
from typed;

create view silver_erp_locations as
with trimmed as (select replace(trimmed(cid), '-', '') as cid, trimmed(cntry) as cntry from erp_loc)
select cid, case when upper(cntry) = 'DE' then 'Germany' when upper(cntry) in ('US', 'USA') then 'United States'
    when cntry is null or cntry = '' then 'n/a' else cntry end as cntry,
from trimmed;

create view silver_categories as
select trimmed(id) as id, trimmed(cat) as cat, trimmed(subcat) as subcat, trimmed(maintenance) as maintenance from erp_cat;

-- step: gold.dim_customers
create table dim_customers as
with erp as (select distinct on (cid) cid, bdate, gen from silver_erp_customers order by cid, bdate nulls last, source_row),
loc as (select cid, min(cntry) as cntry from silver_erp_locations group by cid)
select row_number() over (order by c.cst_id) as customer_key, c.cst_id as customer_id, c.cst_key as customer_number,
    c.cst_firstname as first_name, c.cst_lastname as last_name, coalesce(loc.cntry, 'n/a') as country,
    c.cst_marital_status as marital_status,
    case when c.cst_gndr <> 'n/a' then c.cst_gndr else coalesce(erp.gen, 'n/a') end as gender,
    erp.bdate as birthdate, c.cst_create_date as create_date,
from silver_customers as c
left join erp on c.cst_key = erp.cid
left join loc on c.cst_key = loc.cid
order by customer_key;

-- step: gold.dim_products
create table dim_products as
select row_number() over (order by p.prd_start_dt, p.prd_key, p.source_row) as product_key, p.prd_id as product_id,
    p.prd_key as product_number, p.prd_nm as product_name, p.cat_id as category_id, c.cat as category,
    c.subcat as subcategory, c.maintenance, p.prd_cost as cost, p.prd_line as product_line, p.prd_start_dt as start_date,
from silver_products as p
left join silver_categories as c on p.cat_id = c.id
where p.prd_end_dt is null
order by product_key;

-- step: gold.fact_sales
-- read_csv without sniffing estimates ~40 rows, so the optimizer would build the hash table on
-- the sales and emit them in another order; the dimensions are the build side, as in the pipeline.
set disabled_optimizers = 'build_side_probe_side';
create table fact_sales as
select s.sls_ord_num as order_number, p.product_key, c.customer_key, s.sls_order_dt as order_date,
    s.sls_ship_dt as shipping_date, s.sls_due_dt as due_date, s.sls_sales as sales_amount,
    s.sls_quantity as quantity, s.sls_price as price,
from silver_sales as s
left join (select product_key, product_number from dim_products) as p on s.sls_prd_key = p.product_number
left join (select customer_key, customer_id from dim_customers) as c on s.sls_cust_id = c.customer_id;
reset disabled_optimizers;

-- step: kpi tables
create table kpi_overview as
select total_sales(sales_amount) as total_sales, sum(quantity) as total_units, count(distinct order_number) as total_orders,
    count(distinct customer_key) as total_customers,
    avg_order_value(sales_amount, order_number) as avg_order_value,
    sum(sales_amount::decimal(38, 6))::double / nullif(sum(quantity), 0) as avg_unit_price,
    min(order_date) as first_order_date, max(order_date) as last_order_date,
from fact_sales;

-- Product attributes as a number per value ('n/a' included), named at the end: the distinct
-- counts hash (number, order) pairs, not (text, order) pairs — less work natively too (bench/README.md).
create table category_ids as
select category, row_number() over (order by category) as id,
from (select coalesce(category, 'n/a') as category from dim_products union select 'n/a');
create table subcategory_ids as
select category, subcategory, row_number() over (order by category, subcategory) as id,
from (select coalesce(category, 'n/a') as category, coalesce(subcategory, 'n/a') as subcategory from dim_products
    union select 'n/a', 'n/a');
create table product_line_ids as
select product_line, row_number() over (order by product_line) as id,
from (select coalesce(product_line, 'n/a') as product_line from dim_products union select 'n/a');
create table product_ids as
select p.product_key, c.id as category_id, s.id as subcategory_id, l.id as product_line_id,
from dim_products as p
join category_ids as c on coalesce(p.category, 'n/a') = c.category
join subcategory_ids as s on coalesce(p.category, 'n/a') = s.category and coalesce(p.subcategory, 'n/a') = s.subcategory
join product_line_ids as l on coalesce(p.product_line, 'n/a') = l.product_line;

create table kpi_sales_by_category as
with per_id as (
    select coalesce(p.category_id, (select id from category_ids where category = 'n/a')) as id,
        total_sales(sales_amount) as sales, sum(quantity) as units,
        count(distinct order_number) as orders, count(distinct customer_key) as customers,
    from fact_sales as f left join product_ids as p on f.product_key = p.product_key group by 1
)
select i.category, s.sales, s.units, s.orders, s.customers, s.sales / nullif(s.orders, 0) as avg_order_value,
    s.sales / sum(s.sales::decimal(38, 6)) over () as share_of_sales,
from per_id as s join category_ids as i on s.id = i.id order by s.sales desc, i.category;

create table kpi_sales_by_subcategory as
with per_id as (
    select coalesce(p.subcategory_id, (select id from subcategory_ids where category = 'n/a' and subcategory = 'n/a')) as id,
        total_sales(sales_amount) as sales, sum(quantity) as units,
        count(distinct order_number) as orders, count(distinct customer_key) as customers,
    from fact_sales as f left join product_ids as p on f.product_key = p.product_key group by 1
)
select i.category, i.subcategory, s.sales, s.units, s.orders, s.customers, s.sales / nullif(s.orders, 0) as avg_order_value,
    s.sales / sum(s.sales::decimal(38, 6)) over () as share_of_sales,
from per_id as s join subcategory_ids as i on s.id = i.id order by s.sales desc, i.category, i.subcategory;

create table kpi_sales_by_product_line as
with per_id as (
    select coalesce(p.product_line_id, (select id from product_line_ids where product_line = 'n/a')) as id,
        total_sales(sales_amount) as sales, sum(quantity) as units,
        count(distinct order_number) as orders, count(distinct customer_key) as customers,
    from fact_sales as f left join product_ids as p on f.product_key = p.product_key group by 1
)
select i.product_line, s.sales, s.units, s.orders, s.customers, s.sales / nullif(s.orders, 0) as avg_order_value,
    s.sales / sum(s.sales::decimal(38, 6)) over () as share_of_sales,
from per_id as s join product_line_ids as i on s.id = i.id order by s.sales desc, i.product_line;

create table kpi_sales_by_product as
with per_product as (
    select product_key, total_sales(sales_amount) as sales, sum(quantity) as units,
        count(distinct order_number) as orders, count(distinct customer_key) as customers,
        avg_order_value(sales_amount, order_number) as avg_order_value,
    from fact_sales group by product_key
)
select s.product_key, p.product_id, p.product_number, coalesce(p.product_name, 'n/a') as product_name,
    coalesce(p.category, 'n/a') as category, coalesce(p.subcategory, 'n/a') as subcategory,
    coalesce(p.product_line, 'n/a') as product_line, s.sales, s.units, s.orders, s.customers, s.avg_order_value,
    s.sales / sum(s.sales::decimal(38, 6)) over () as share_of_sales,
from per_product as s left join dim_products as p on s.product_key = p.product_key
order by s.sales desc, s.product_key;

create table kpi_sales_by_country as
select coalesce(c.country, 'n/a') as country, total_sales(sales_amount) as sales, sum(quantity) as units,
    count(distinct order_number) as orders, count(distinct f.customer_key) as customers,
    avg_order_value(sales_amount, order_number) as avg_order_value,
    total_sales(sales_amount) / sum(total_sales(sales_amount)::decimal(38, 6)) over () as share_of_sales,
from fact_sales as f left join dim_customers as c on f.customer_key = c.customer_key
group by all order by sales desc, country;

create table kpi_sales_by_gender as
select coalesce(c.gender, 'n/a') as gender, total_sales(sales_amount) as sales, sum(quantity) as units,
    count(distinct order_number) as orders, count(distinct f.customer_key) as customers,
    avg_order_value(sales_amount, order_number) as avg_order_value,
    total_sales(sales_amount) / sum(total_sales(sales_amount)::decimal(38, 6)) over () as share_of_sales,
from fact_sales as f left join dim_customers as c on f.customer_key = c.customer_key
group by all order by sales desc, gender;

create table kpi_sales_by_marital_status as
select coalesce(c.marital_status, 'n/a') as marital_status, total_sales(sales_amount) as sales, sum(quantity) as units,
    count(distinct order_number) as orders, count(distinct f.customer_key) as customers,
    avg_order_value(sales_amount, order_number) as avg_order_value,
    total_sales(sales_amount) / sum(total_sales(sales_amount)::decimal(38, 6)) over () as share_of_sales,
from fact_sales as f left join dim_customers as c on f.customer_key = c.customer_key
group by all order by sales desc, marital_status;

-- by year and month as numbers, the date made once per month, not once per line
create table kpi_sales_by_month as
with per_month as (
    select year(order_date) as order_year, month(order_date) as order_month, total_sales(sales_amount) as sales,
        sum(quantity) as units, count(distinct order_number) as orders, count(distinct customer_key) as customers,
    from fact_sales group by order_year, order_month
)
select make_date(order_year, order_month, 1) as month, sales, units, orders, customers,
    sales / nullif(orders, 0) as avg_order_value, sales / sum(sales::decimal(38, 6)) over () as share_of_sales,
from per_month order by order_year nulls last, order_month;

create table kpi_sales_by_year as
select year(order_date) as year, total_sales(sales_amount) as sales, sum(quantity) as units,
    count(distinct order_number) as orders, count(distinct customer_key) as customers,
    avg_order_value(sales_amount, order_number) as avg_order_value,
    total_sales(sales_amount) / sum(total_sales(sales_amount)::decimal(38, 6)) over () as share_of_sales,
from fact_sales group by all order by year nulls last;

-- a customer's orders counted as its (customer, order) groups, not with count(distinct)
create table per_customer as
with customer_orders as (
    select customer_key, order_number, sum(sales_amount::decimal(38, 6)) as sales, sum(quantity) as units,
        min(order_date) as first_order_date, max(order_date) as last_order_date,
    from fact_sales where customer_key is not null group by customer_key, order_number
)
select customer_key, sum(sales)::double as total_sales, sum(units) as total_units, count(order_number) as total_orders,
    min(first_order_date) as first_order_date, max(last_order_date) as last_order_date,
from customer_orders group by customer_key;

create table kpi_new_customers_by_month as
select make_date(year(first_order_date), month(first_order_date), 1) as month, count(*) as new_customers,
from per_customer where first_order_date is not null group by all order by month;

create table kpi_orders_per_customer as
select total_orders as orders, count(*) as customers, total_sales(total_sales) as sales,
    count(*) / sum(count(*)) over () as share_of_customers,
from per_customer group by all order by orders;

create table kpi_repeat_customers as
select case when total_orders >= 2 then 'repeat' else 'one-time' end as customer_type, count(*) as customers,
    total_sales(total_sales) as sales, sum(total_orders) as orders,
    count(*) / sum(count(*)) over () as share_of_customers,
    total_sales(total_sales) / sum(total_sales(total_sales)::decimal(38, 6)) over () as share_of_sales,
from per_customer group by all order by customer_type desc;

-- step: segmentation.customer_segments
create table customer_segments as
with cutoffs as (
    select quantile_cont(total_sales, 0.66) as high_cutoff, quantile_cont(total_sales, 0.33) as medium_cutoff,
    from per_customer
),
as_of as (select max(order_date) + 1 as as_of_date from fact_sales),
scored as (
    select p.*, c.high_cutoff, c.medium_cutoff, a.as_of_date - p.last_order_date as recency_days,
        ntile(5) over (order by p.last_order_date asc nulls first, p.total_orders, p.total_sales, p.customer_key)::integer as recency_score,
        ntile(5) over (order by p.total_orders, p.total_sales, p.last_order_date asc nulls first, p.customer_key)::integer as frequency_score,
        ntile(5) over (order by p.total_sales, p.total_orders, p.last_order_date asc nulls first, p.customer_key)::integer as monetary_score,
    from per_customer as p cross join cutoffs as c cross join as_of as a
)
select s.customer_key, d.customer_id, d.customer_number, d.first_name, d.last_name, d.country,
    s.total_sales, s.total_units, s.total_orders, s.first_order_date, s.last_order_date, s.recency_days,
    case when s.total_sales >= s.high_cutoff then 'High' when s.total_sales >= s.medium_cutoff then 'Medium' else 'Low' end as value_segment,
    s.high_cutoff, s.medium_cutoff, s.recency_score, s.frequency_score, s.monetary_score,
    s.recency_score::varchar || s.frequency_score::varchar || s.monetary_score::varchar as rfm_code,
    case
        when s.recency_score >= 4 and s.frequency_score >= 4 and s.monetary_score >= 4 then 'Champions'
        when s.recency_score <= 2 and s.frequency_score >= 4 and s.monetary_score >= 4 then 'Cannot Lose Them'
        when s.recency_score >= 3 and s.frequency_score >= 4 then 'Loyal Customers'
        when s.recency_score >= 4 and s.frequency_score <= 1 then 'New Customers'
        when s.recency_score >= 4 then 'Potential Loyalists'
        when s.recency_score <= 2 and s.frequency_score >= 3 then 'At Risk'
        when s.recency_score <= 2 then 'Hibernating'
        else 'Need Attention'
    end as rfm_segment,
from scored as s left join dim_customers as d on s.customer_key = d.customer_key
order by s.customer_key;

-- step: write CSV
copy dim_customers to '${out}dim_customers.csv' (${csv});
copy dim_products to '${out}dim_products.csv' (${csv});
copy fact_sales to '${out}fact_sales.csv' (${csv});
copy customer_segments to '${out}customer_segments.csv' (${csv});
copy kpi_new_customers_by_month to '${out}kpi_new_customers_by_month.csv' (${csv});
copy kpi_orders_per_customer to '${out}kpi_orders_per_customer.csv' (${csv});
copy kpi_overview to '${out}kpi_overview.csv' (${csv});
copy kpi_repeat_customers to '${out}kpi_repeat_customers.csv' (${csv});
copy kpi_sales_by_category to '${out}kpi_sales_by_category.csv' (${csv});
copy kpi_sales_by_country to '${out}kpi_sales_by_country.csv' (${csv});
copy kpi_sales_by_gender to '${out}kpi_sales_by_gender.csv' (${csv});
copy kpi_sales_by_marital_status to '${out}kpi_sales_by_marital_status.csv' (${csv});
copy kpi_sales_by_month to '${out}kpi_sales_by_month.csv' (${csv});
copy kpi_sales_by_product to '${out}kpi_sales_by_product.csv' (${csv});
copy kpi_sales_by_product_line to '${out}kpi_sales_by_product_line.csv' (${csv});
copy kpi_sales_by_subcategory to '${out}kpi_sales_by_subcategory.csv' (${csv});
copy kpi_sales_by_year to '${out}kpi_sales_by_year.csv' (${csv});
