-- customers by the month of their first order with a line under a product filter: one bit per
-- buyer and month set from the orders, less the bits of the months before (no grouping of the
-- orders by customer)
select null::integer as customer_key, month as first_date, customers,
from (
    select month, case when before is null then bit_count(bits) else bit_count(bits & ~before) end as customers,
    from (
        select month, bits, bit_or(bits) over (order by month rows between unbounded preceding and 1 preceding) as before,
        from (
            select month, bitstring_agg(bid, 0, /*last buyer*/) as bits,
            from dash_agg.orders
            where bid is not null and order_date is not null /*filters*/
            group by month
        )
    )
)
where customers > 0
