/**
 * The schema browser's data, read from DuckDB itself: every table of the current
 * results and of the scratch catalog with its columns, types and row count, and
 * the profile of one column (nulls, distinct values, range, top values or histogram).
 */
import type { SqlEngine } from '../../duckdb/sql-engine.ts';
import { quoteIdent } from '../../sql/quote.ts';
import { SCRATCH } from '../../sql/guard.ts';

export interface CatalogTable {
  /** True for tables of the scratch catalog (console work, never stored). */
  scratch: boolean;
  schema: string;
  name: string;
  /** How to name it in SQL: `gold.fact_sales`, `scratch.top`, `scratch.gold.fact_sales`. */
  ref: string;
  rows: number;
  columns: { name: string; type: string }[];
}

export interface ColumnRef {
  scratch: boolean;
  schema: string;
  table: string;
  column: string;
}

export interface ColumnProfile {
  type: string;
  rows: number;
  nulls: number;
  distinct: number;
  min: string | null;
  max: string | null;
  /** Numbers and dates: equal-width bins by upper bound. */
  histogram?: { upper: string; count: number }[];
  /** Anything else: the most frequent values. */
  top?: { value: string | null; count: number }[];
}

const RANGED = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL|DATE|TIMESTAMP)/;

/** Every table of the current results and of scratch, by schema and name. */
export async function readCatalog(e: SqlEngine): Promise<CatalogTable[]> {
  const cols = await e.query<{ db: string; schema: string; name: string; column: string; type: string }>(
    `select database_name as db, schema_name as schema, table_name as name, column_name as column, data_type as type
     from duckdb_columns() where database_name = current_database() or database_name = ?
     order by database_name = ?, schema_name, table_name, column_index`,
    [SCRATCH, SCRATCH],
  );
  const tables = new Map<string, CatalogTable>();
  for (const c of cols) {
    const scratch = c.db === SCRATCH;
    const key = `${scratch}.${c.schema}.${c.name}`;
    let table = tables.get(key);
    if (!table) {
      const ref = scratch ? [SCRATCH, ...(c.schema === 'main' ? [] : [c.schema]), c.name].join('.') : `${c.schema}.${c.name}`;
      table = { scratch, schema: c.schema, name: c.name, ref, rows: 0, columns: [] };
      tables.set(key, table);
    }
    table.columns.push({ name: c.column, type: c.type });
  }
  for (const t of tables.values()) {
    const [{ n }] = await e.query<{ n: number }>(`select count(*)::double as n from ${qualified(t.scratch, t.schema, t.name)}`);
    t.rows = n;
  }
  return [...tables.values()];
}

function qualified(scratch: boolean, schema: string, table: string): string {
  return `${scratch ? `${SCRATCH}.` : ''}${quoteIdent(schema)}.${quoteIdent(table)}`;
}

/** The profile of one column; throws when there is no such column. */
export async function profileColumn(e: SqlEngine, ref: ColumnRef): Promise<ColumnProfile> {
  const found = await e.query<{ type: string }>(
    `select data_type as type from duckdb_columns()
     where database_name = (case when ? then ? else current_database() end) and schema_name = ? and table_name = ? and column_name = ?`,
    [ref.scratch, SCRATCH, ref.schema, ref.table, ref.column],
  );
  if (found.length === 0) throw new Error(`there is no column ${ref.column} in ${ref.schema}.${ref.table}`);
  const { type } = found[0];
  const from = qualified(ref.scratch, ref.schema, ref.table);
  const col = quoteIdent(ref.column);
  const [stats] = await e.query<{ rows: number; nulls: number; distinct: number; min: string | null; max: string | null }>(
    `select count(*)::double as rows, (count(*) - count(${col}))::double as nulls, count(distinct ${col})::double as distinct,
       min(${col})::varchar as min, max(${col})::varchar as max from ${from}`,
  );
  const profile: ColumnProfile = { type, ...stats };
  if (RANGED.test(type) && stats.distinct > 1) {
    profile.histogram = await e.query<{ upper: string; count: number }>(
      `with bins as (select equi_width_bins(min(${col}), max(${col}), 10, true) as bins from ${from}),
         h as (select histogram(${col}, (select bins from bins)) as h from ${from})
       select unnest(map_keys(h))::varchar as upper, unnest(map_values(h))::double as count from h`,
    );
  } else {
    profile.top = await e.query<{ value: string | null; count: number }>(
      `select ${col}::varchar as value, count(*)::double as count from ${from} group by all order by count desc, value nulls last limit 10`,
    );
  }
  return profile;
}
