/** export_for_powerbi: which tables become which files. */
import type { Dag } from './dag.ts';
import type { SqlEngine } from './engine.ts';

export interface ExportFile {
  /** `schema.table` */
  table: string;
  /** File name without folder, e.g. `fact_sales.csv`. */
  name: string;
}

/** Writes one table and returns the bytes written. */
export type ExportSink = (file: ExportFile, engine: SqlEngine) => Promise<number>;

/** The star schema and segments keep their names; KPI tables get a `kpi_` prefix. */
export function exportFiles(dag: Dag): ExportFile[] {
  const star = ['gold.dim_customers', 'gold.dim_products', 'gold.fact_sales', 'segmentation.customer_segments'];
  const kpis = dag.models.filter((m) => m.layer === 'kpi').map((m) => m.id);
  return [...star.filter((id) => dag.byId.has(id)), ...kpis].map((table) => {
    const name = table.split('.')[1];
    return { table, name: `${table.startsWith('kpi.') ? `kpi_${name}` : name}.csv` };
  });
}

/** RFC 4180 CSV with a header, ISO dates: DuckDB's writer with explicit options. */
export const CSV_COPY_OPTIONS = "format csv, header true, delimiter ',', quote '\"', dateformat '%Y-%m-%d'";
