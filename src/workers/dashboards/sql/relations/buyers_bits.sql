-- customers with an order under the filters (a date range with a product filter): one bit per
-- buyer set from the orders (a pass with no grouping by customer), counted per combination of
-- customer codes, whose buyers hold consecutive ids (lo .. lo + n - 1)
select null::integer as customer_key, cn, ge, ma, va, rf, customers,
from (
    select r.cn, r.ge, r.ma, r.va, r.rf, length(replace(substr(h.bits, r.lo + 1, r.n), '0', '')) as customers,
    from temp.dash_buyer_ranges as r
    cross join (
        select bitstring_agg(bid, 0, /*last buyer*/)::varchar as bits,
        from dash_agg.orders
        where bid is not null /*order filters*/
    ) as h
    where true /*filters*/
)
where customers > 0
