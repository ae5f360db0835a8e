/**
 * The model a BI tool needs beyond the files: which table is a fact or a dimension,
 * the keys, and the relationships between them. The package's README.txt states it
 * and export_for_powerbi checks it against the data before offering the package.
 */

export type TableRole = 'fact' | 'dimension' | 'segments' | 'kpi';

/** A column whose values are unique and never empty. */
export interface TableKey {
  table: string;
  column: string;
}

/** `from.column` points at `to.key`: each row of `from` has at most one row in `to`. */
export interface Relationship {
  from: string;
  column: string;
  to: string;
  key: string;
  cardinality: 'many-to-one';
  /** Power BI's filter direction for it. */
  crossFilter: 'single';
}

export const KEYS: TableKey[] = [
  { table: 'gold.dim_customers', column: 'customer_key' },
  { table: 'gold.dim_products', column: 'product_key' },
  { table: 'segmentation.customer_segments', column: 'customer_key' },
];

export const RELATIONSHIPS: Relationship[] = [
  { from: 'gold.fact_sales', column: 'customer_key', to: 'gold.dim_customers', key: 'customer_key', cardinality: 'many-to-one', crossFilter: 'single' },
  { from: 'gold.fact_sales', column: 'product_key', to: 'gold.dim_products', key: 'product_key', cardinality: 'many-to-one', crossFilter: 'single' },
  {
    from: 'segmentation.customer_segments', column: 'customer_key', to: 'gold.dim_customers', key: 'customer_key',
    cardinality: 'many-to-one', crossFilter: 'single',
  },
];

/** The table the measures are computed on (their parameters are its columns). */
export const MEASURE_TABLE = 'gold.fact_sales';

export function tableRole(table: string): TableRole {
  if (table === 'gold.fact_sales') return 'fact';
  if (table.startsWith('gold.dim_')) return 'dimension';
  if (table.startsWith('segmentation.')) return 'segments';
  return 'kpi';
}

export function keyOf(table: string): string | undefined {
  return KEYS.find((k) => k.table === table)?.column;
}
