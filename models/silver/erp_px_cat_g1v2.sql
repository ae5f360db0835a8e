-- grain: one row per product category id
select
    trim(id) as id,
    trim(cat) as cat,
    trim(subcat) as subcat,
    trim(maintenance) as maintenance,
    _source_line,
from bronze.erp_px_cat_g1v2
