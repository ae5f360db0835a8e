/** The worker's read calls on the current results: KPIs, table list, table pages (downloads: exports-api.ts). */
import * as Comlink from 'comlink';
import { quoteIdent } from '../../sql/quote.ts';
import { withEngine } from '../engine-access.ts';

export interface TableInfo {
  schema: string;
  name: string;
  rows: number;
  columns: { name: string; type: string }[];
}

export interface PreviewRequest {
  schema: string;
  name: string;
  offset: number;
  limit: number;
  orderBy?: string;
  descending?: boolean;
}

export const resultsApi = {
  /** The overview KPIs of the current results, or null before the first good run. */
  async kpis(): Promise<Record<string, number> | null> {
    return withEngine(async (e) => {
      const exists = await e.query(`select 1 from duckdb_tables() where database_name = current_database() and schema_name = 'kpi' and table_name = 'overview'`);
      if (exists.length === 0) return null;
      const [row] = await e.query(`select * exclude (first_order_date, last_order_date) from kpi.overview`);
      return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)]));
    });
  },

  /** Every table of the current results with its row count and columns. */
  async tables(): Promise<TableInfo[]> {
    return withEngine(async (e) => {
      const cols = await e.query<{ schema: string; name: string; column: string; type: string }>(
        `select schema_name as schema, table_name as name, column_name as column, data_type as type
         from duckdb_columns() where database_name = current_database() and schema_name <> 'main'
         order by schema_name, table_name, column_index`,
      );
      const tables = new Map<string, TableInfo>();
      for (const c of cols) {
        const key = `${c.schema}.${c.name}`;
        if (!tables.has(key)) tables.set(key, { schema: c.schema, name: c.name, rows: 0, columns: [] });
        tables.get(key)!.columns.push({ name: c.column, type: c.type });
      }
      for (const t of tables.values()) {
        const [{ n }] = await e.query<{ n: number }>(`select count(*)::integer as n from ${quoteIdent(t.schema)}.${quoteIdent(t.name)}`);
        t.rows = n;
      }
      return [...tables.values()];
    });
  },

  /** One page of a table, sorted, as Arrow IPC bytes (transferred). */
  async preview(req: PreviewRequest): Promise<Uint8Array> {
    return withEngine(async (e) => {
      const known = await e.query<{ column: string }>(
        `select column_name as column from duckdb_columns()
         where database_name = current_database() and schema_name = ? and table_name = ?`,
        [req.schema, req.name],
      );
      if (known.length === 0) throw new Error(`no table ${req.schema}.${req.name}`);
      const order = req.orderBy && known.some((k) => k.column === req.orderBy)
        ? `order by ${quoteIdent(req.orderBy)} ${req.descending ? 'desc' : 'asc'} nulls last`
        : '';
      const limit = Math.max(0, Math.min(1000, Math.floor(req.limit)));
      const offset = Math.max(0, Math.floor(req.offset));
      const bytes = e.ipc(`select * from ${quoteIdent(req.schema)}.${quoteIdent(req.name)} ${order} limit ${limit} offset ${offset}`);
      return Comlink.transfer(bytes, [bytes.buffer]);
    });
  },
};
