-- grain: one row per dimension value that occurs on a sales line (subcategories with their category)
with

used_products as (
    select p.category, p.subcategory, p.product_line, f.product_key,
    from (select distinct product_key from temp.dash_facts) as f
    left join temp.dash_products as p on p.product_key = f.product_key
),

used_groups as (
    select g.*,
    from (select distinct group_id from temp.dash_facts) as f
    left join temp.dash_groups as g on g.group_id = f.group_id
),

options as (
    select 'category' as dimension, coalesce(category, 'n/a') as value, null as parent from used_products
    union all
    select 'subcategory', coalesce(subcategory, 'n/a'), coalesce(category, 'n/a') from used_products
    union all
    select 'line', coalesce(product_line, 'n/a'), null from used_products
    union all
    select 'country', coalesce(country, 'n/a'), null from used_groups
    union all
    select 'gender', coalesce(gender, 'n/a'), null from used_groups
    union all
    select 'marital', coalesce(marital_status, 'n/a'), null from used_groups
    union all
    select 'segment', coalesce(value_segment, 'n/a'), null from used_groups
    union all
    select 'rfm', coalesce(rfm_segment, 'n/a'), null from used_groups
)

select distinct dimension, value, parent,
from options
order by
    dimension,
    value = 'n/a',
    case when dimension = 'segment' then list_position(['High', 'Medium', 'Low'], value) end nulls last,
    value
