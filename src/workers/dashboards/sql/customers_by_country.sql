-- grain: one row per customer country
select
    country,
    total_customers(customer_key) as customers,
    total_sales(sales_amount) as sales,
from lines
where customer_key is not null
group by country
order by customers desc, country
