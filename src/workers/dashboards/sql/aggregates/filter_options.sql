-- grain: one row per dimension value that occurs on a sales line (subcategories with their category)
with

used as (
    select distinct cat, sub, line, cn, ge, ma, va, rf,
    from temp.dash_cube
),

coded as (
    select distinct 'category' as dim, cat as code, null::utinyint as parent_code, from used
    union all select distinct 'subcategory', sub, cat from used
    union all select distinct 'line', line, null from used
    union all select distinct 'country', cn, null from used
    union all select distinct 'gender', ge, null from used
    union all select distinct 'marital', ma, null from used
    union all select distinct 'segment', va, null from used
    union all select distinct 'rfm', rf, null from used
),

named as (
    select distinct c.dim as dimension, v.value, p.value as parent,
    from coded as c
    join temp.dash_codes as v on v.dim = c.dim and v.code = c.code
    left join temp.dash_codes as p on p.dim = 'category' and p.code = c.parent_code
)

select dimension, value, parent,
from named
order by
    dimension,
    value = 'n/a',
    case when dimension = 'segment' then list_position(['High', 'Medium', 'Low'], value) end nulls last,
    value
