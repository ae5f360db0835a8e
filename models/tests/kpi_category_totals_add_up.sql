-- severity: error
-- description: sales by category add up to the overview's total sales
select o.total_sales, c.category_sales
from kpi.overview as o
cross join (select sum(sales) as category_sales from kpi.sales_by_category) as c
where abs(o.total_sales - c.category_sales) > 0.01
