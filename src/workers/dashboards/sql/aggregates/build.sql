-- The dashboard aggregates, built once per results (see ../../aggregates.ts). Every filter
-- dimension becomes a small integer code (dense rank of its value), carried on every row,
-- so a filter is `code in (?, ...)` with no join. The two large grains (lines, orders) live
-- in the compressed in-memory catalog dash_agg (a seventh of their plain size, read for the
-- customer grain, and at the ends of a date range when no cube by day keeps the filters); the
-- cubes, the buyers and the dictionaries in temp, uncompressed (three to ten times faster to scan).

-- one row per distinct combination of customer attributes (plus the all-'n/a' one of lines without a customer)
create or replace temp table dash_groups as
with
attrs as (
    select
        coalesce(c.country, 'n/a') as country,
        coalesce(c.gender, 'n/a') as gender,
        coalesce(c.marital_status, 'n/a') as marital_status,
        coalesce(s.value_segment, 'n/a') as value_segment,
        coalesce(s.rfm_segment, 'n/a') as rfm_segment,
    from gold.dim_customers as c
    left join segmentation.customer_segments as s on s.customer_key = c.customer_key
    union all
    select 'n/a', 'n/a', 'n/a', 'n/a', 'n/a'
),
combos as (select distinct * from attrs)
select
    (row_number() over (order by country, gender, marital_status, value_segment, rfm_segment))::integer as group_id,
    *,
    dense_rank() over (order by country)::utinyint as cn,
    dense_rank() over (order by gender)::utinyint as ge,
    dense_rank() over (order by marital_status)::utinyint as ma,
    dense_rank() over (order by value_segment)::utinyint as va,
    dense_rank() over (order by rfm_segment)::utinyint as rf,
from combos;

create or replace temp table dash_customer_groups as
select c.customer_key::integer as customer_key, g.group_id,
from gold.dim_customers as c
left join segmentation.customer_segments as s on s.customer_key = c.customer_key
join temp.dash_groups as g
    on g.country = coalesce(c.country, 'n/a')
    and g.gender = coalesce(c.gender, 'n/a')
    and g.marital_status = coalesce(c.marital_status, 'n/a')
    and g.value_segment = coalesce(s.value_segment, 'n/a')
    and g.rfm_segment = coalesce(s.rfm_segment, 'n/a');

-- one row per product (plus the all-'n/a' one of lines without a known product); its class is its
-- (category, subcategory, line), one bit of the order and buyer masks
create or replace temp table dash_products as
with
products as (
    select
        product_key::integer as product_key,
        product_id,
        coalesce(product_name, 'n/a') as product_name,
        coalesce(category, 'n/a') as category,
        coalesce(subcategory, 'n/a') as subcategory,
        coalesce(product_line, 'n/a') as product_line,
    from gold.dim_products
    union all
    select null, null, 'n/a', 'n/a', 'n/a', 'n/a'
)
select
    *,
    dense_rank() over (order by category)::utinyint as cat,
    dense_rank() over (order by subcategory)::utinyint as sub,
    dense_rank() over (order by product_line)::utinyint as line,
    (dense_rank() over (order by category, subcategory, product_line) - 1)::utinyint as class_id,
from products;

-- every code with its value, for the labels and for the filter values
create or replace temp table dash_codes as
select distinct 'category' as dim, cat as code, category as value from temp.dash_products
union all select distinct 'subcategory', sub, subcategory from temp.dash_products
union all select distinct 'line', line, product_line from temp.dash_products
union all select distinct 'country', cn, country from temp.dash_groups
union all select distinct 'gender', ge, gender from temp.dash_groups
union all select distinct 'marital', ma, marital_status from temp.dash_groups
union all select distinct 'segment', va, value_segment from temp.dash_groups
union all select distinct 'rfm', rf, rfm_segment from temp.dash_groups;

-- grain: one row per sales line, in the order of gold.fact_sales (by order, so nearly by date:
-- a date range reads few row groups)
create or replace table dash_agg.lines as
with
no_product as (select * from temp.dash_products where product_key is null),
no_customer as (select * from temp.dash_groups where group_id = (select min(group_id) from temp.dash_groups
    where country = 'n/a' and gender = 'n/a' and marital_status = 'n/a' and value_segment = 'n/a' and rfm_segment = 'n/a'))
select
    f.order_date,
    f.sales_amount,
    f.quantity,
    f.customer_key::integer as customer_key,
    f.product_key::integer as product_key,
    coalesce(p.cat, np.cat) as cat,
    coalesce(p.sub, np.sub) as sub,
    coalesce(p.line, np.line) as line,
    coalesce(g.cn, nc.cn) as cn,
    coalesce(g.ge, nc.ge) as ge,
    coalesce(g.ma, nc.ma) as ma,
    coalesce(g.va, nc.va) as va,
    coalesce(g.rf, nc.rf) as rf,
from gold.fact_sales as f
cross join no_product as np
cross join no_customer as nc
left join temp.dash_products as p on p.product_key = f.product_key
left join temp.dash_customer_groups as c on c.customer_key = f.customer_key
left join temp.dash_groups as g on g.group_id = c.group_id;

-- grain: one row per order (its one customer and its one order day, checked in `single`);
-- mask: the classes on its lines, dated_mask: those on its lines with an order date
-- (customer_months, the buyer's month bits, is added below once the buyers are known)
create or replace table dash_agg.orders_plain as
with
orders as (
    select
        f.order_number,
        max(f.order_date) as order_date,
        max(f.customer_key)::integer as customer_key,
        bit_or(1::ubigint << coalesce(p.class_id, np.class_id)) as mask,
        coalesce(bit_or(1::ubigint << coalesce(p.class_id, np.class_id)) filter (where f.order_date is not null), 0::ubigint) as dated_mask,
        sum(f.sales_amount) as sales,
        coalesce(sum(f.sales_amount) filter (where f.order_date is not null), 0) as dated_sales,
        min(f.customer_key) is not distinct from max(f.customer_key) and count(f.customer_key) in (0, count(*))
            and min(f.order_date) is not distinct from max(f.order_date) as single,
    from gold.fact_sales as f
    cross join (select class_id from temp.dash_products where product_key is null) as np
    left join temp.dash_products as p on p.product_key = f.product_key
    group by f.order_number
),
no_customer as (select * from temp.dash_groups where group_id = (select min(group_id) from temp.dash_groups
    where country = 'n/a' and gender = 'n/a' and marital_status = 'n/a' and value_segment = 'n/a' and rfm_segment = 'n/a'))
select
    o.order_number is not null and o.single as single,
    o.order_date,
    make_date(year(o.order_date), month(o.order_date), 1) as month,
    o.customer_key,
    coalesce(g.cn, nc.cn) as cn,
    coalesce(g.ge, nc.ge) as ge,
    coalesce(g.ma, nc.ma) as ma,
    coalesce(g.va, nc.va) as va,
    coalesce(g.rf, nc.rf) as rf,
    o.mask,
    o.dated_mask,
    o.sales,
    o.dated_sales,
from orders as o
cross join no_customer as nc
left join temp.dash_customer_groups as c on c.customer_key = o.customer_key
left join temp.dash_groups as g on g.group_id = c.group_id
order by o.order_date;

drop table temp.dash_customer_groups;

-- grain: one row per month and combination of customer codes
create or replace temp table dash_order_cube as
select cn, ge, ma, va, rf, month, count(*) as orders,
from dash_agg.orders_plain
group by all
order by month;

-- grain: one row per combination of customer codes, month and the order's two masks
create or replace temp table dash_order_masks as
select cn, ge, ma, va, rf, month, mask, dated_mask, count(*) as orders,
from dash_agg.orders_plain
group by all
order by month;

-- grain: one row per customer who bought; months: bit i for an order in the i-th month
-- from the first (NULL beyond 64 months: then a date range reads the orders); grp: the number
-- of its combination of customer codes (dash_buyer_groups), local: its number within it, from 1
create or replace temp table dash_buyers as
with
first_month as (select min(month) as month, from dash_agg.orders_plain),
buyers as (
    select
        o.customer_key,
        any_value(o.cn) as cn,
        any_value(o.ge) as ge,
        any_value(o.ma) as ma,
        any_value(o.va) as va,
        any_value(o.rf) as rf,
        sum(o.sales) as sales,
        count(*) as orders,
        min(o.order_date) as first_date,
        bit_or(o.mask) as mask,
        case when coalesce(max(date_diff('month', f.month, o.month)), 0) < 64
            then coalesce(bit_or(1::ubigint << date_diff('month', f.month, o.month)), 0::ubigint) end as months,
    from dash_agg.orders_plain as o
    cross join first_month as f
    where o.customer_key is not null
    group by o.customer_key
)
select
    *,
    dense_rank() over (order by cn, ge, ma, va, rf)::integer as grp,
    row_number() over (partition by cn, ge, ma, va, rf order by customer_key)::integer as local,
from buyers;

-- grain: one row per order, as above, plus its buyer's month bits (customer_months): the days at
-- the ends of a date range count a customer only when they bought in none of its whole months,
-- tested on the order itself instead of through a join with the buyers (millions at scale 100);
-- and its buyer's numbers (grp, local): customers under a product filter and a date range are
-- one bit per buyer within each combination of customer codes, not a grouping of the orders by customer
create or replace table dash_agg.orders as
select o.*, b.months as customer_months, b.grp, b.local,
from dash_agg.orders_plain as o
left join temp.dash_buyers as b on b.customer_key = o.customer_key
order by o.order_date;

drop table dash_agg.orders_plain;

-- grain: one row per combination of customer codes
create or replace temp table dash_buyer_cube as
select cn, ge, ma, va, rf, count(*) as customers,
from temp.dash_buyers
group by all;

-- grain: one row per combination of customer codes of the buyers (grp), with their number (n)
create or replace temp table dash_buyer_groups as
select grp, any_value(cn) as cn, any_value(ge) as ge, any_value(ma) as ma, any_value(va) as va, any_value(rf) as rf, count(*) as n,
from temp.dash_buyers
group by grp;

-- grain: one row per combination of customer codes and mask of the classes bought: customers
-- under a product filter without a date range are counted here (a mask test, as for orders)
create or replace temp table dash_buyer_masks as
select cn, ge, ma, va, rf, mask, count(*) as customers,
from temp.dash_buyers
group by all;

-- grain: one row per combination of customer codes and month bits: customers under a date range
-- without a product filter are counted here (a test of the whole months' bits, as for the masks)
create or replace temp table dash_buyer_months as
select cn, ge, ma, va, rf, months, count(*) as customers,
from temp.dash_buyers
where months is not null
group by all;

-- grain: one row per combination of customer codes and month of the buyers' first order: new
-- customers by month under customer filters only (a few rows per month instead of every buyer)
create or replace temp table dash_buyer_first_months as
select cn, ge, ma, va, rf, make_date(year(first_date), month(first_date), 1) as first_month, count(*) as customers,
from temp.dash_buyers
where first_date is not null
group by all
order by first_month;

-- For the customer lists under customer filters only (no date range, no product filter): the
-- 100 buyers with the highest sales of each combination of customer codes. The top n ≤ 100 of
-- any set of combinations is the top n of their top 100s (same order: sales, then key).
create or replace temp table dash_top_buyers as
select customer_key, cn, ge, ma, va, rf, sales, orders, 1 as customers,
from temp.dash_buyers
qualify row_number() over (partition by cn, ge, ma, va, rf order by sales desc, customer_key) <= 100;

-- What the customer lists show of a customer (c_: gold.dim_customers, s_: the segmentation), for
-- the buyers a list shows most often: those of dash_top_buyers (every list under customer filters
-- only) and the 50,000 with the highest lifetime sales (under other filters a list's customers are
-- nearly always among them). A list reads these rows for its customers and the 1.8 million
-- customers of the gold table only for those not found here (none, most of the time: then that
-- scan is skipped).
create or replace temp table dash_names as
with keys as (
    select customer_key from temp.dash_top_buyers
    union
    select customer_key from (select customer_key from temp.dash_buyers order by sales desc, customer_key limit 50000)
)
select
    k.customer_key,
    c.first_name as c_first_name, c.last_name as c_last_name, c.customer_number as c_customer_number, c.country as c_country,
    s.customer_number as s_customer_number, s.first_name as s_first_name, s.last_name as s_last_name, s.country as s_country,
    s.value_segment as s_value_segment, s.rfm_segment as s_rfm_segment, s.total_sales as s_total_sales, s.last_order_date as s_last_order_date,
from keys as k
left join gold.dim_customers as c on c.customer_key = k.customer_key
left join segmentation.customer_segments as s on s.customer_key = k.customer_key;

-- grain: one row per combination of customer codes and number of orders: the buyers and their
-- sales, for the order-count charts under customer filters only
create or replace temp table dash_buyer_orders as
select cn, ge, ma, va, rf, orders, count(*) as customers, sum(sales) as sales,
from temp.dash_buyers
group by all;

-- grain: one row per product, combination of customer codes, month and whether a customer is known
create or replace temp table dash_product_cube as
select
    product_key, cat, sub, line, cn, ge, ma, va, rf,
    customer_key is not null as buyer,
    make_date(year(order_date), month(order_date), 1) as month,
    sum(sales_amount) as sales,
    -- BIGINT, not the HUGEINT of a sum: far cheaper to scan and add up in the wasm engine
    sum(quantity)::bigint as units,
from dash_agg.lines
group by all
order by month;

-- grain: the same without the product
create or replace temp table dash_cube as
select cat, sub, line, cn, ge, ma, va, rf, buyer, month, sum(sales) as sales, sum(units)::bigint as units,
from temp.dash_product_cube
group by all
order by month;

-- The days at the ends of a date range (the parts of its first and last month), from cubes
-- by day instead of the lines: sorted by day, so a range of days reads a few row groups.
-- By day and every code (two fifths of the lines at scale 100), and the same with the product
-- codes or the customer codes only (a date range with filters of one side: far smaller).
create or replace temp table dash_day_cube as
select cat, sub, line, cn, ge, ma, va, rf, customer_key is not null as buyer, order_date,
    sum(sales_amount) as sales, sum(quantity)::bigint as units,
from dash_agg.lines
where order_date is not null
group by all
order by order_date;

create or replace temp table dash_day_cube_pm as
select cat, sub, line, null::utinyint as cn, null::utinyint as ge, null::utinyint as ma, null::utinyint as va, null::utinyint as rf,
    buyer, order_date, sum(sales) as sales, sum(units)::bigint as units,
from temp.dash_day_cube
group by all
order by order_date;

create or replace temp table dash_day_cube_cm as
select null::utinyint as cat, null::utinyint as sub, null::utinyint as line, cn, ge, ma, va, rf,
    buyer, order_date, sum(sales) as sales, sum(units)::bigint as units,
from temp.dash_day_cube
group by all
order by order_date;

-- by day and product, for the product charts and table under a date range without customer filters
create or replace temp table dash_day_product_cube_pm as
select product_key, cat, sub, line, null::utinyint as cn, null::utinyint as ge, null::utinyint as ma, null::utinyint as va, null::utinyint as rf,
    customer_key is not null as buyer, order_date, sum(sales_amount) as sales, sum(quantity)::bigint as units,
from dash_agg.lines
where order_date is not null
group by all
order by order_date;

-- orders by day and customer codes (by day and mask would be nearly as many rows as the orders,
-- which serve a product filter)
create or replace temp table dash_day_order_cube as
select cn, ge, ma, va, rf, order_date, count(*) as orders,
from dash_agg.orders
where order_date is not null
group by all
order by order_date;

-- the same cubes with fewer dimensions (the left-out codes NULL), for the filters and
-- charts that do not need them: tens of thousands of rows instead of hundreds of thousands
create or replace temp table dash_cube_pc as
select cat, sub, line, cn, ge, ma, va, rf, buyer, null::date as month, sum(sales) as sales, sum(units)::bigint as units,
from temp.dash_cube
group by all;

create or replace temp table dash_cube_cm as
select null::utinyint as cat, null::utinyint as sub, null::utinyint as line, cn, ge, ma, va, rf, buyer, month, sum(sales) as sales, sum(units)::bigint as units,
from temp.dash_cube
group by all
order by month;

create or replace temp table dash_cube_pm as
select cat, sub, line, null::utinyint as cn, null::utinyint as ge, null::utinyint as ma, null::utinyint as va, null::utinyint as rf, buyer, month,
    sum(sales) as sales, sum(units)::bigint as units,
from temp.dash_cube
group by all
order by month;

create or replace temp table dash_product_cube_pc as
select product_key, cat, sub, line, cn, ge, ma, va, rf, buyer, null::date as month, sum(sales) as sales, sum(units)::bigint as units,
from temp.dash_product_cube
group by all;

create or replace temp table dash_product_cube_pm as
select product_key, cat, sub, line, null::utinyint as cn, null::utinyint as ge, null::utinyint as ma, null::utinyint as va, null::utinyint as rf,
    buyer, month, sum(sales) as sales, sum(units)::bigint as units,
from temp.dash_product_cube
group by all
order by month;

-- The month cubes with one customer dimension only (the other customer codes NULL): a date range
-- with filters on one customer dimension reads these (a tenth of the full cubes or less) instead
-- of the cubes with every code, which have a row per combination of customer codes
create or replace temp table dash_cube_by_cn as
select cat, sub, line, cn, null::utinyint as ge, null::utinyint as ma, null::utinyint as va, null::utinyint as rf, buyer, month, sum(sales) as sales, sum(units)::bigint as units,
from temp.dash_cube
group by all
order by month;

create or replace temp table dash_cube_by_ge as
select cat, sub, line, null::utinyint as cn, ge, null::utinyint as ma, null::utinyint as va, null::utinyint as rf, buyer, month, sum(sales) as sales, sum(units)::bigint as units,
from temp.dash_cube
group by all
order by month;

create or replace temp table dash_cube_by_ma as
select cat, sub, line, null::utinyint as cn, null::utinyint as ge, ma, null::utinyint as va, null::utinyint as rf, buyer, month, sum(sales) as sales, sum(units)::bigint as units,
from temp.dash_cube
group by all
order by month;

create or replace temp table dash_cube_by_va as
select cat, sub, line, null::utinyint as cn, null::utinyint as ge, null::utinyint as ma, va, null::utinyint as rf, buyer, month, sum(sales) as sales, sum(units)::bigint as units,
from temp.dash_cube
group by all
order by month;

create or replace temp table dash_cube_by_rf as
select cat, sub, line, null::utinyint as cn, null::utinyint as ge, null::utinyint as ma, null::utinyint as va, rf, buyer, month, sum(sales) as sales, sum(units)::bigint as units,
from temp.dash_cube
group by all
order by month;

create or replace temp table dash_product_cube_by_cn as
select product_key, cat, sub, line, cn, null::utinyint as ge, null::utinyint as ma, null::utinyint as va, null::utinyint as rf, buyer, month, sum(sales) as sales, sum(units)::bigint as units,
from temp.dash_product_cube
group by all
order by month;

create or replace temp table dash_product_cube_by_ge as
select product_key, cat, sub, line, null::utinyint as cn, ge, null::utinyint as ma, null::utinyint as va, null::utinyint as rf, buyer, month, sum(sales) as sales, sum(units)::bigint as units,
from temp.dash_product_cube
group by all
order by month;

create or replace temp table dash_product_cube_by_ma as
select product_key, cat, sub, line, null::utinyint as cn, null::utinyint as ge, ma, null::utinyint as va, null::utinyint as rf, buyer, month, sum(sales) as sales, sum(units)::bigint as units,
from temp.dash_product_cube
group by all
order by month;

create or replace temp table dash_product_cube_by_va as
select product_key, cat, sub, line, null::utinyint as cn, null::utinyint as ge, null::utinyint as ma, va, null::utinyint as rf, buyer, month, sum(sales) as sales, sum(units)::bigint as units,
from temp.dash_product_cube
group by all
order by month;

create or replace temp table dash_product_cube_by_rf as
select product_key, cat, sub, line, null::utinyint as cn, null::utinyint as ge, null::utinyint as ma, null::utinyint as va, rf, buyer, month, sum(sales) as sales, sum(units)::bigint as units,
from temp.dash_product_cube
group by all
order by month;
