-- cells from the cube: sums by product codes, customer codes, known customer and month
select cat, sub, line, cn, ge, ma, va, rf, buyer, month, sales, units,
from temp.dash_cube
where true /*filters*/
