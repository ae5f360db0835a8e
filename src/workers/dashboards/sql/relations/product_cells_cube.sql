-- product cells from the product cube: sums by product, customer codes, known customer and month
select product_key, cat, sub, line, cn, ge, ma, va, rf, buyer, month, sales, units,
from temp.dash_product_cube
where true /*filters*/
