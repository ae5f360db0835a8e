/**
 * Data contracts for the six sources, checked by the validate_data task on the bronze
 * tables. Declared here as data; validate.ts turns each check into one query.
 * `error` stops the run before silver; `warn` is reported and the run goes on
 * (silver repairs or drops those rows, see the README).
 */
import type { Severity } from './types.ts';
import type { SourceId } from './sources.ts';

/** `amount`: money, read as DECIMAL(18, 6) so that sales = quantity × price is compared exactly. */
export type ValueType = 'integer' | 'number' | 'amount' | 'date' | 'yyyymmdd';
/** How money is read, here and in models/silver/crm_sales_details.sql. */
export const AMOUNT = 'decimal(18, 6)';
/** Named key transforms, so references can compare keys written differently per system. */
export type KeyTransform = 'trim' | 'prd_key_tail' | 'prd_key_category' | 'strip_nas' | 'strip_dashes';

export type Check =
  | { kind: 'min_rows'; rows: number }
  | { kind: 'not_null'; column: string }
  | { kind: 'parses_as'; column: string; type: ValueType }
  | { kind: 'unique'; column: string }
  | { kind: 'accepted_values'; column: string; values: string[] }
  | { kind: 'not_in_future'; column: string }
  | { kind: 'references'; column: string; transform: KeyTransform; to: SourceId; toColumn: string; toTransform: KeyTransform }
  /** `violation` is a SQL predicate over the bronze columns, true for a violating row. */
  | { kind: 'rule'; name: string; columns: string[]; violation: string; says: string };

export type ContractCheck = Check & { severity: Severity };

export const CONTRACTS: Record<SourceId, ContractCheck[]> = {
  crm_cust_info: [
    { kind: 'min_rows', rows: 1, severity: 'error' },
    { kind: 'not_null', column: 'cst_id', severity: 'warn' },
    { kind: 'parses_as', column: 'cst_id', type: 'integer', severity: 'warn' },
    { kind: 'unique', column: 'cst_id', severity: 'warn' },
    { kind: 'not_null', column: 'cst_key', severity: 'warn' },
    { kind: 'parses_as', column: 'cst_create_date', type: 'date', severity: 'warn' },
    { kind: 'accepted_values', column: 'cst_marital_status', values: ['S', 'M'], severity: 'warn' },
    { kind: 'accepted_values', column: 'cst_gndr', values: ['F', 'M'], severity: 'warn' },
  ],
  crm_prd_info: [
    { kind: 'min_rows', rows: 1, severity: 'error' },
    { kind: 'not_null', column: 'prd_key', severity: 'error' },
    { kind: 'parses_as', column: 'prd_id', type: 'integer', severity: 'error' },
    { kind: 'parses_as', column: 'prd_cost', type: 'number', severity: 'error' },
    { kind: 'not_null', column: 'prd_cost', severity: 'warn' },
    { kind: 'accepted_values', column: 'prd_line', values: ['M', 'R', 'S', 'T'], severity: 'warn' },
    { kind: 'parses_as', column: 'prd_start_dt', type: 'date', severity: 'error' },
    { kind: 'parses_as', column: 'prd_end_dt', type: 'date', severity: 'warn' },
    {
      kind: 'rule', name: 'end_before_start', columns: ['prd_start_dt', 'prd_end_dt'], severity: 'warn',
      violation: "try_cast(trim(prd_end_dt) as date) < try_cast(trim(prd_start_dt) as date)",
      says: 'end date before start date (end dates are recomputed from the product history)',
    },
    {
      kind: 'references', column: 'prd_key', transform: 'prd_key_category', to: 'erp_px_cat_g1v2', toColumn: 'id',
      toTransform: 'trim', severity: 'warn',
    },
  ],
  crm_sales_details: [
    { kind: 'min_rows', rows: 1, severity: 'error' },
    { kind: 'not_null', column: 'sls_ord_num', severity: 'error' },
    { kind: 'not_null', column: 'sls_prd_key', severity: 'error' },
    { kind: 'parses_as', column: 'sls_cust_id', type: 'integer', severity: 'error' },
    { kind: 'parses_as', column: 'sls_quantity', type: 'integer', severity: 'error' },
    { kind: 'not_null', column: 'sls_quantity', severity: 'error' },
    { kind: 'parses_as', column: 'sls_sales', type: 'amount', severity: 'error' },
    { kind: 'parses_as', column: 'sls_price', type: 'amount', severity: 'error' },
    { kind: 'parses_as', column: 'sls_order_dt', type: 'yyyymmdd', severity: 'warn' },
    { kind: 'parses_as', column: 'sls_ship_dt', type: 'yyyymmdd', severity: 'warn' },
    { kind: 'parses_as', column: 'sls_due_dt', type: 'yyyymmdd', severity: 'warn' },
    {
      kind: 'rule', name: 'sales_is_quantity_times_price', columns: ['sls_sales', 'sls_quantity', 'sls_price'], severity: 'warn',
      // in exact decimals: 139.93 = 7 × 19.99 (in floating point 7 × 19.99 is 139.92999999999998)
      violation: `try_cast(trim(sls_sales) as ${AMOUNT}) is distinct from
        try_cast(trim(sls_quantity) as bigint) * abs(try_cast(trim(sls_price) as ${AMOUNT}))
        or try_cast(trim(sls_sales) as ${AMOUNT}) <= 0`,
      says: 'sales is missing, not positive or not quantity × price (recomputed in silver)',
    },
    {
      kind: 'rule', name: 'price_positive', columns: ['sls_price'], severity: 'warn',
      violation: `coalesce(try_cast(trim(sls_price) as ${AMOUNT}), 0) <= 0`,
      says: 'price is missing, zero or negative (derived from sales ÷ quantity in silver)',
    },
    {
      kind: 'rule', name: 'order_before_ship', columns: ['sls_order_dt', 'sls_ship_dt'], severity: 'warn',
      violation: "try_strptime(trim(sls_order_dt), '%Y%m%d') > try_strptime(trim(sls_ship_dt), '%Y%m%d')",
      says: 'order date after shipping date',
    },
    {
      kind: 'references', column: 'sls_cust_id', transform: 'trim', to: 'crm_cust_info', toColumn: 'cst_id',
      toTransform: 'trim', severity: 'warn',
    },
    {
      kind: 'references', column: 'sls_prd_key', transform: 'trim', to: 'crm_prd_info', toColumn: 'prd_key',
      toTransform: 'prd_key_tail', severity: 'warn',
    },
  ],
  erp_cust_az12: [
    { kind: 'min_rows', rows: 1, severity: 'error' },
    { kind: 'not_null', column: 'cid', severity: 'warn' },
    { kind: 'parses_as', column: 'bdate', type: 'date', severity: 'warn' },
    { kind: 'not_in_future', column: 'bdate', severity: 'warn' },
    { kind: 'accepted_values', column: 'gen', values: ['F', 'FEMALE', 'M', 'MALE'], severity: 'warn' },
    {
      kind: 'references', column: 'cid', transform: 'strip_nas', to: 'crm_cust_info', toColumn: 'cst_key',
      toTransform: 'trim', severity: 'warn',
    },
  ],
  erp_loc_a101: [
    { kind: 'min_rows', rows: 1, severity: 'error' },
    { kind: 'not_null', column: 'cid', severity: 'warn' },
    { kind: 'not_null', column: 'cntry', severity: 'warn' },
    {
      kind: 'references', column: 'cid', transform: 'strip_dashes', to: 'crm_cust_info', toColumn: 'cst_key',
      toTransform: 'trim', severity: 'warn',
    },
  ],
  erp_px_cat_g1v2: [
    { kind: 'min_rows', rows: 1, severity: 'error' },
    { kind: 'not_null', column: 'id', severity: 'error' },
    { kind: 'unique', column: 'id', severity: 'warn' },
    { kind: 'accepted_values', column: 'maintenance', values: ['YES', 'NO'], severity: 'warn' },
  ],
};
