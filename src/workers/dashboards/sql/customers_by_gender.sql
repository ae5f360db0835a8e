-- grain: one row per customer gender
select
    gender,
    total_customers(customer_key) as customers,
    total_sales(sales_amount) as sales,
from lines
where customer_key is not null
group by gender
order by customers desc, gender
