-- grain: one row per CRM customer record silver dropped (the first 100 by line)
select
    _source_line as line,
    cst_id,
    cst_key,
    cst_firstname,
    cst_lastname,
    reject_reason,
    count(*) over () as total,
from rejects.crm_cust_info
order by _source_line
limit 100
