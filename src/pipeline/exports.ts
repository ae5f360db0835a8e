/** export_for_powerbi: which tables become which files. */
import type { SqlEngine } from '../duckdb/sql-engine.ts';

/** The file formats of the Power BI package and of table downloads. */
export type ExportFormat = 'csv' | 'parquet';

export interface ExportFile {
  /** `schema.table` */
  table: string;
  /** File name without folder, e.g. `fact_sales.csv`. */
  name: string;
}

/**
 * Writes one table and returns the bytes written, or (when the files are made later,
 * on download) checks it and returns what was checked, in words.
 */
export type ExportSink = (file: ExportFile, engine: SqlEngine) => Promise<number | string>;

/** The tables of the package, in order: the star schema, the segments, then every KPI table. */
export const STAR_TABLES = ['gold.dim_customers', 'gold.dim_products', 'gold.fact_sales', 'segmentation.customer_segments'];

/** The star schema and segments keep their names; KPI tables get a `kpi_` prefix. */
export function exportFiles(tables: Iterable<string>, format: ExportFormat = 'csv'): ExportFile[] {
  const present = new Set(tables);
  const kpis = [...present].filter((id) => id.startsWith('kpi.')).sort();
  return [...STAR_TABLES.filter((id) => present.has(id)), ...kpis].map((table) => ({ table, name: exportFileName(table, format) }));
}

/** `gold.fact_sales` -> `fact_sales.parquet`, `kpi.overview` -> `kpi_overview.csv`. */
export function exportFileName(table: string, format: ExportFormat): string {
  return `${packageTableName(table)}.${format}`;
}

/** A table's name in the package (and in Power BI): `fact_sales`, `kpi_overview`. */
export function packageTableName(table: string): string {
  const name = table.split('.')[1];
  return table.startsWith('kpi.') ? `kpi_${name}` : name;
}

/** RFC 4180 CSV with a header, ISO dates: DuckDB's writer with explicit options. */
export const CSV_COPY_OPTIONS = "format csv, header true, delimiter ',', quote '\"', dateformat '%Y-%m-%d'";
