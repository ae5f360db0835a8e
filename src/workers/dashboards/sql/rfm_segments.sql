-- grain: one row per RFM segment
with

segments as (
    select
        rfm_segment,
        total_customers(customer_key) as customers,
        total_sales(sales_amount) as sales,
    from lines
    where customer_key is not null
    group by rfm_segment
)

select
    rfm_segment,
    customers,
    sales,
    sales / sum(sales) over () as share,
from segments
order by sales desc, rfm_segment
