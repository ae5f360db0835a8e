-- the buyers by month of their first order day, without a product filter (customer filters only)
select first_month as first_date, customers,
from temp.dash_buyer_first_months
where true /*filters*/
