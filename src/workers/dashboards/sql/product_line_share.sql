-- grain: one row per product line
select
    product_line,
    total_sales(sales_amount) as sales,
    total_units(quantity)::bigint as units,
    total_sales(sales_amount) / sum(total_sales(sales_amount)) over () as share,
from lines
group by product_line
order by sales desc, product_line
