-- customers with an order under the filters (a date range with a product filter): per combination
-- of customer codes, one bit per buyer (its number within the combination) set from the orders,
-- counted — a grouping by about a thousand combinations, not by every customer
select null::integer as customer_key, g.cn, g.ge, g.ma, g.va, g.rf, c.customers,
from (
    select grp, bit_count(bitstring_agg(local, 1, /*largest group*/)) as customers,
    from dash_agg.orders
    where grp is not null /*order filters*/
    group by grp
) as c
join temp.dash_buyer_groups as g on g.grp = c.grp
where true /*filters*/
