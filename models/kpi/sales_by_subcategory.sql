-- grain: one row per product subcategory
-- Aggregated by a number per subcategory, named at the end: the distinct counts then hash
-- (number, order) pairs instead of (text, text, order) — about half the time and memory of
-- grouping by the texts at scale 100 (bench/README.md).
with

-- one number per subcategory, 'n/a' (unknown products) included
subcategories as (
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
    join subcategories as s
        on coalesce(p.category, 'n/a') = s.category and coalesce(p.subcategory, 'n/a') = s.subcategory
),

-- the sums and each distinct count in a pass of their own: their hash tables are never held at once
sums as (
    select
        coalesce(ps.subcategory_id, (
            select subcategory_id from subcategories where category = 'n/a' and subcategory = 'n/a'
        )) as subcategory_id,
        total_sales(f.sales_amount) as sales,
        total_units(f.quantity) as units,
    from gold.fact_sales as f
    left join product_subcategories as ps on f.product_key = ps.product_key
    group by 1
),

orders as (
    select
        coalesce(ps.subcategory_id, (
            select subcategory_id from subcategories where category = 'n/a' and subcategory = 'n/a'
        )) as subcategory_id,
        total_orders(f.order_number) as orders,
    from gold.fact_sales as f
    left join product_subcategories as ps on f.product_key = ps.product_key
    group by 1
),

customers as (
    select
        coalesce(ps.subcategory_id, (
            select subcategory_id from subcategories where category = 'n/a' and subcategory = 'n/a'
        )) as subcategory_id,
        total_customers(f.customer_key) as customers,
    from gold.fact_sales as f
    left join product_subcategories as ps on f.product_key = ps.product_key
    group by 1
),

per_subcategory as (
    select s.subcategory_id, s.sales, s.units, o.orders, c.customers,
    from sums as s
    join orders as o on s.subcategory_id = o.subcategory_id
    join customers as c on s.subcategory_id = c.subcategory_id
)

select
    s.category,
    s.subcategory,
    p.sales,
    p.units,
    p.orders,
    p.customers,
    p.sales / nullif(p.orders, 0) as avg_order_value,
    p.sales / sum(p.sales::decimal(38, 6)) over () as share_of_sales,
from per_subcategory as p
join subcategories as s on p.subcategory_id = s.subcategory_id
order by p.sales desc, s.category, s.subcategory
