-- customers who bought on the days at the ends of a date range and in none of its whole months
select customer_key, any_value(cn) as cn, any_value(ge) as ge, any_value(ma) as ma, any_value(va) as va, any_value(rf) as rf, 1 as customers,
from dash_agg.orders
where customer_key is not null /*filters*/
group by customer_key
