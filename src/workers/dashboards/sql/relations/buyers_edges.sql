-- customers who bought on the days at the ends of a date range and in none of its whole months
select o.customer_key, any_value(o.cn) as cn, any_value(o.ge) as ge, any_value(o.ma) as ma, any_value(o.va) as va, any_value(o.rf) as rf, 1 as customers,
from dash_agg.orders as o
join temp.dash_buyers as b on b.customer_key = o.customer_key
where true /*filters*/
group by o.customer_key
