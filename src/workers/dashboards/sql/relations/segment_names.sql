-- the columns the segment's customer list shows of a customer, for every customer (its top is under a product filter or a date range)
select customer_key, customer_number, first_name, last_name, country, value_segment, rfm_segment, total_sales, last_order_date,
from segmentation.customer_segments
