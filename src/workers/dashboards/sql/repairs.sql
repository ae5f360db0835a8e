-- grain: one row per silver cleaning rule that touched rows (the quarantine's counts)
select model, action, rule, rows, first_lines,
from rejects.repairs
order by model, action desc, rows desc
