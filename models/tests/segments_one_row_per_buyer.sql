-- severity: error
-- description: segmentation.customer_segments has one row per customer who bought
select buyers, segment_rows
from (select count(distinct customer_key) as buyers from gold.fact_sales where customer_key is not null)
cross join (select count(*) as segment_rows, count(distinct customer_key) as distinct_keys from segmentation.customer_segments)
where buyers <> segment_rows or segment_rows <> distinct_keys
