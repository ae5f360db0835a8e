-- grain: one row per customer with at least one order
with

-- each customer's orders are counted as these (customer, order) groups, not with count(distinct):
-- one hash table over the lines instead of two, 5 % less CPU at scale 100 (bench/README.md);
-- decimal partial sums add up to the same exact total
customer_orders as (
    select
        customer_key,
        order_number,
        sum(sales_amount::decimal(38, 6)) as sales,
        total_units(quantity) as units,
        min(order_date) as first_order_date,
        max(order_date) as last_order_date,
    from gold.fact_sales
    where customer_key is not null
    group by customer_key, order_number
),

per_customer as (
    select
        customer_key,
        sum(sales)::double as total_sales,
        sum(units) as total_units,
        -- count(distinct) leaves out a NULL order number; so does count(order_number)
        count(order_number) as total_orders,
        min(first_order_date) as first_order_date,
        max(last_order_date) as last_order_date,
    from customer_orders
    group by customer_key
),

-- value cut-offs: 66th and 33rd percentiles of lifetime sales, interpolated
cutoffs as (
    select
        quantile_cont(total_sales, 0.66) as high_cutoff,
        quantile_cont(total_sales, 0.33) as medium_cutoff,
    from per_customer
),

-- recency is measured from the day after the last order in the data, not the clock
as_of as (
    select max(order_date) + 1 as as_of_date from gold.fact_sales
),

-- scores 1-5: the quintile (ntile) in the order of the measure, ties broken by the other
-- measures (frequency, monetary, recency), then the key: every score holds a fifth of the
-- customers even when most have one order (equal values would otherwise share one score)
scored as (
    select
        p.*,
        c.high_cutoff,
        c.medium_cutoff,
        a.as_of_date - p.last_order_date as recency_days,
        ntile(5) over (order by p.last_order_date asc nulls first, p.total_orders, p.total_sales, p.customer_key)::integer as recency_score,
        ntile(5) over (order by p.total_orders, p.total_sales, p.last_order_date asc nulls first, p.customer_key)::integer as frequency_score,
        ntile(5) over (order by p.total_sales, p.total_orders, p.last_order_date asc nulls first, p.customer_key)::integer as monetary_score,
    from per_customer as p
    cross join cutoffs as c
    cross join as_of as a
)

select
    s.customer_key,
    d.customer_id,
    d.customer_number,
    d.first_name,
    d.last_name,
    d.country,
    s.total_sales,
    s.total_units,
    s.total_orders,
    s.first_order_date,
    s.last_order_date,
    s.recency_days,
    case
        when s.total_sales >= s.high_cutoff then 'High'
        when s.total_sales >= s.medium_cutoff then 'Medium'
        else 'Low'
    end as value_segment,
    s.high_cutoff,
    s.medium_cutoff,
    s.recency_score,
    s.frequency_score,
    s.monetary_score,
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
from scored as s
left join gold.dim_customers as d on s.customer_key = d.customer_key
order by s.customer_key
