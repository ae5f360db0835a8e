-- grain: one row per product subcategory
-- The distinct counts are grouped by a number per subcategory, not by the two texts: hashing
-- 6 M (number, order) pairs instead of (text, text, order) takes about half the time and
-- memory at scale 100 (bench/README.md). Sums and shares are grouped by the texts as before.
with

lines as (
    select
        f.*,
        coalesce(p.category, 'n/a') as category,
        coalesce(p.subcategory, 'n/a') as subcategory,
    from gold.fact_sales as f
    left join gold.dim_products as p on f.product_key = p.product_key
),

sums as (
    select
        category,
        subcategory,
        total_sales(sales_amount) as sales,
        total_units(quantity) as units,
        total_sales(sales_amount) / sum(total_sales(sales_amount)::decimal(38, 6)) over () as share_of_sales,
    from lines
    group by all
),

-- one number per subcategory, 'n/a' (unknown products) included
subcategory_ids as (
    select
        category,
        subcategory,
        row_number() over (order by category, subcategory) as subcategory_id,
    from (
        select coalesce(category, 'n/a') as category, coalesce(subcategory, 'n/a') as subcategory,
        from gold.dim_products
        union
        select 'n/a', 'n/a'
    )
),

product_subcategories as (
    select
        p.product_key,
        s.subcategory_id,
    from gold.dim_products as p
    join subcategory_ids as s
        on coalesce(p.category, 'n/a') = s.category and coalesce(p.subcategory, 'n/a') = s.subcategory
),

counts as (
    select
        coalesce(ps.subcategory_id, (
            select subcategory_id from subcategory_ids where category = 'n/a' and subcategory = 'n/a'
        )) as subcategory_id,
        total_orders(f.order_number) as orders,
        total_customers(f.customer_key) as customers,
    from gold.fact_sales as f
    left join product_subcategories as ps on f.product_key = ps.product_key
    group by 1
)

select
    s.category,
    s.subcategory,
    s.sales,
    s.units,
    c.orders,
    c.customers,
    s.sales / nullif(c.orders, 0) as avg_order_value,
    s.share_of_sales,
from sums as s
join subcategory_ids as i on s.category = i.category and s.subcategory = i.subcategory
join counts as c on i.subcategory_id = c.subcategory_id
order by s.sales desc, s.category, s.subcategory
