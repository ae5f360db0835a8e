-- the columns the top-customers list shows of a customer, for every customer (its top is under a product filter or a date range)
select customer_key, first_name, last_name, customer_number, country,
from gold.dim_customers
