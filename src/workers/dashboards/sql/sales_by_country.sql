-- grain: one row per customer country
select
    country,
    total_sales(sales_amount) as sales,
    total_customers(customer_key) as customers,
    total_sales(sales_amount) / sum(total_sales(sales_amount)) over () as share,
from lines
group by country
order by sales desc, country
