/**
 * One table of the current results as CSV or Parquet bytes, streamed in record
 * batches: optionally filtered (a WHERE with bound parameters) and ordered as shown.
 */
import type { ArrowBatchStream, ExportEngine, SqlEngine, SqlValue } from '../duckdb/sql-engine.ts';
import type { ExportFormat } from '../pipeline/exports.ts';
import { DIMENSIONS, filtersToWhere, type DashboardFilters, type FilterKey } from '../shared/filters.ts';
import { quoteIdent } from '../sql/quote.ts';
import { exportColumns, exportSelectList, type ColumnInfo, type ExportColumn } from './columns.ts';
import { CsvEncoder, type CsvOptions } from './csv-writer.ts';
import { parquetChunks } from './parquet-writer.ts';

/** DuckDB chunks (about 2,048 rows each) handed to the Parquet writer at a time. */
const CHUNKS_PER_PARQUET_BATCH = 32;

/** Which rows of a table to export, and in which order. */
export interface TableQuery {
  /** `schema.table` of the current results. */
  table: string;
  /** Sort as shown on screen: a column name of the table. */
  orderBy?: string;
  descending?: boolean;
  /**
   * Dashboard filters (src/shared/filters.ts), bound as parameters. Only those on
   * columns the table has apply: a date range needs `order_date`, `country` a country column.
   */
  filters?: DashboardFilters;
}

/** A table and its columns as exported. */
export interface TableShape {
  table: string;
  columns: ExportColumn[];
}

/** The columns of a table of the current results; throws when there is no such table. */
export async function describeTable(engine: SqlEngine, table: string): Promise<TableShape> {
  const [schema, name] = table.split('.');
  const columns = await engine.query<{ name: string; type: string }>(
    `select column_name as name, data_type as type from duckdb_columns()
     where database_name = current_database() and schema_name = ? and table_name = ? order by column_index`,
    [schema ?? '', name ?? ''],
  );
  if (columns.length === 0) throw new Error(`there is no table ${table} in the current results`);
  return { table, columns: exportColumns(columns as ColumnInfo[]) };
}

/** The SELECT that exports a table: typed columns, the filter bound, the order as shown. */
export function exportQuery(shape: TableShape, query: TableQuery): { sql: string; params: SqlValue[] } {
  const [schema, name] = shape.table.split('.');
  let sql = `select ${exportSelectList(shape.columns)} from ${quoteIdent(schema)}.${quoteIdent(name)}`;
  const params: SqlValue[] = [];
  if (query.filters) {
    const where = filtersToWhere(query.filters, inapplicableFilters(shape));
    if (where.sql) sql += ` ${where.sql}`;
    params.push(...where.params);
  }
  if (query.orderBy) {
    if (!shape.columns.some((c) => c.name === query.orderBy)) throw new Error(`${shape.table} has no column ${query.orderBy}`);
    sql += ` order by ${quoteIdent(query.orderBy)} ${query.descending ? 'desc' : 'asc'} nulls last`;
  }
  return { sql, params };
}

/** The filters a table cannot take, for want of their column. */
function inapplicableFilters(shape: TableShape): FilterKey[] {
  const names = new Set(shape.columns.map((c) => c.name));
  const missing: FilterKey[] = DIMENSIONS.filter((d) => !names.has(d.column)).map((d) => d.key);
  return names.has('order_date') ? missing : [...missing, 'date'];
}

/** Counts the rows that an export query will write. */
export async function countRows(engine: SqlEngine, query: { sql: string; params: SqlValue[] }): Promise<number> {
  const [{ n }] = await engine.query<{ n: number }>(`select count(*)::bigint as n from (${query.sql})`, query.params);
  return Number(n);
}

/**
 * The file's bytes, in pieces. `onRows` hears of every batch written; it may await
 * (to pace, report and cancel) and throw to stop. CSV neutralises formula-like text
 * unless `csv.raw` (./csv-writer.ts); Parquet is always exact.
 */
export async function* tableBytes(
  engine: ExportEngine,
  query: { sql: string; params: SqlValue[] },
  format: ExportFormat,
  onRows: (rows: number) => Promise<void>,
  csv: CsvOptions = {},
): AsyncGenerator<Uint8Array> {
  const stream = await engine.streamArrow(query.sql, query.params);
  try {
    if (format === 'csv') yield* csvBytes(stream, onRows, csv);
    else yield* parquetBytes(stream, onRows);
  } finally {
    stream.close();
  }
}

async function* csvBytes(stream: ArrowBatchStream, onRows: (rows: number) => Promise<void>, options: CsvOptions): AsyncGenerator<Uint8Array> {
  const encoder = new CsvEncoder(stream.schema, options);
  yield encoder.header();
  for (let batch = await stream.nextBatch(); batch; batch = await stream.nextBatch()) {
    if (batch.numRows === 0) continue;
    yield encoder.encode(batch);
    await onRows(batch.numRows);
  }
}

async function* parquetBytes(stream: ArrowBatchStream, onRows: (rows: number) => Promise<void>): AsyncGenerator<Uint8Array> {
  let pending = 0;
  const next = () => stream.nextIpc(CHUNKS_PER_PARQUET_BATCH);
  for await (const chunk of parquetChunks(next, (rows) => (pending += rows))) {
    yield chunk;
    const rows = pending;
    pending = 0;
    await onRows(rows);
  }
  if (pending) await onRows(pending);
}
