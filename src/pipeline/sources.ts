/**
 * Source contracts: the six CRM + ERP exports, recognised by their header row
 * (names trimmed, case-insensitive, any order; extra columns allowed).
 */

export type SourceId =
  | 'crm_cust_info'
  | 'crm_prd_info'
  | 'crm_sales_details'
  | 'erp_cust_az12'
  | 'erp_loc_a101'
  | 'erp_px_cat_g1v2';

export interface SourceContract {
  id: SourceId;
  /** What a person calls it. */
  label: string;
  /** The file name in the reference export, used by the sample generator and in messages. */
  typicalFileName: string;
  /** Required columns, normalised (trimmed, lower case), in the reference order. */
  columns: readonly string[];
}

export const SOURCES: readonly SourceContract[] = [
  {
    id: 'crm_cust_info',
    label: 'CRM customers',
    typicalFileName: 'source_crm/cust_info.csv',
    columns: ['cst_id', 'cst_key', 'cst_firstname', 'cst_lastname', 'cst_marital_status', 'cst_gndr', 'cst_create_date'],
  },
  {
    id: 'crm_prd_info',
    label: 'CRM products',
    typicalFileName: 'source_crm/prd_info.csv',
    columns: ['prd_id', 'prd_key', 'prd_nm', 'prd_cost', 'prd_line', 'prd_start_dt', 'prd_end_dt'],
  },
  {
    id: 'crm_sales_details',
    label: 'CRM sales',
    typicalFileName: 'source_crm/sales_details.csv',
    columns: [
      'sls_ord_num', 'sls_prd_key', 'sls_cust_id', 'sls_order_dt', 'sls_ship_dt', 'sls_due_dt',
      'sls_sales', 'sls_quantity', 'sls_price',
    ],
  },
  { id: 'erp_cust_az12', label: 'ERP customers', typicalFileName: 'source_erp/CUST_AZ12.csv', columns: ['cid', 'bdate', 'gen'] },
  { id: 'erp_loc_a101', label: 'ERP locations', typicalFileName: 'source_erp/LOC_A101.csv', columns: ['cid', 'cntry'] },
  {
    id: 'erp_px_cat_g1v2',
    label: 'ERP product categories',
    typicalFileName: 'source_erp/PX_CAT_G1V2.csv',
    columns: ['id', 'cat', 'subcat', 'maintenance'],
  },
];

export function sourceById(id: SourceId): SourceContract {
  const found = SOURCES.find((s) => s.id === id);
  if (!found) throw new Error(`unknown source ${id}`);
  return found;
}

/** Normalises a header cell: trimmed, lower case, surrounding quotes removed. */
export function normaliseColumnName(raw: string): string {
  let name = raw.trim();
  if (name.length >= 2 && name.startsWith('"') && name.endsWith('"')) name = name.slice(1, -1).replaceAll('""', '"');
  return name.trim().toLowerCase();
}

/**
 * The source whose required columns are all present in `columns`.
 * When several match (ERP locations' columns are a subset of none, but a file
 * could carry extra columns), the contract with the most required columns wins.
 */
export function recogniseSource(columns: readonly string[]): SourceContract | undefined {
  const present = new Set(columns.map(normaliseColumnName));
  const matches = SOURCES.filter((s) => s.columns.every((c) => present.has(c)));
  matches.sort((a, b) => b.columns.length - a.columns.length);
  return matches[0];
}

export function describeExpectedColumns(): string {
  return SOURCES.map((s) => `${s.label}: ${s.columns.join(', ')}`).join('; ');
}
