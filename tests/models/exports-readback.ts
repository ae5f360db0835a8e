/**
 * Reading exported files back with native DuckDB (@duckdb/node-api, the Parquet and
 * CSV readers analysts' tools use), and comparing them with the source tables.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { expect } from 'vitest';
import type { ExportColumn } from '../../src/exports/columns.ts';
import type { PackageTable } from '../../src/exports/package.ts';
import { quoteIdent, quoteLiteral } from '../../src/sql/quote.ts';
import type { WasmEngine } from '../../src/duckdb/wasm-engine.ts';

let native: Promise<DuckDBConnection> | undefined;

/** One native DuckDB, offline like the app. */
export function nativeDuckDb(): Promise<DuckDBConnection> {
  return (native ??= (async () => {
    const conn = await (await DuckDBInstance.create(':memory:')).connect();
    await conn.run('set autoinstall_known_extensions=false; set autoload_known_extensions=false;');
    return conn;
  })());
}

export async function nativeRows(sql: string): Promise<Record<string, unknown>[]> {
  const reader = await (await nativeDuckDb()).runAndReadAll(sql);
  return reader.getRowObjectsJson() as Record<string, unknown>[];
}

/** The column names and types DuckDB reads from a file expression, e.g. `read_parquet('x')`. */
export async function fileTypes(from: string): Promise<{ name: string; type: string }[]> {
  const rows = await nativeRows(`describe select * from ${from}`);
  return rows.map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
}

/** A CSV read with the exported types stated (what a typed load does). */
export function typedCsv(file: string, columns: ExportColumn[]): string {
  const types = columns.map((c) => `${quoteLiteral(c.name)}: ${quoteLiteral(c.exportType)}`).join(', ');
  return `read_csv(${quoteLiteral(file)}, header = true, columns = {${types}})`;
}

/** Row count and one aggregate per column: sums of numbers, min/max/count of dates, text lengths. */
export function fingerprintSql(from: string, columns: ExportColumn[]): string {
  const parts = columns.map((c, i) => {
    const col = quoteIdent(c.name);
    if (['BIGINT', 'INTEGER', 'DOUBLE'].includes(c.exportType)) return `sum(${col})::double as a${i}`;
    if (c.exportType === 'DATE') return `(count(${col}) || ' ' || coalesce(min(${col})::varchar, '') || ' ' || coalesce(max(${col})::varchar, '')) as a${i}`;
    return `(count(${col}) || ' ' || coalesce(sum(length(${col}::varchar)), 0)) as a${i}`;
  });
  return `select count(*)::bigint as n, ${parts.join(', ')} from ${from}`;
}

/** Asserts that a file read back natively holds what the source table holds. */
export async function expectSameContent(engine: WasmEngine, table: PackageTable, from: string): Promise<void> {
  const [schema, name] = table.table.split('.');
  const [source] = await engine.query(fingerprintSql(`${quoteIdent(schema)}.${quoteIdent(name)}`, table.columns));
  const [file] = await nativeRows(fingerprintSql(from, table.columns));
  expect(Number(file.n), `${table.file}: rows`).toBe(Number(source.n));
  expect(Number(file.n)).toBe(table.rows);
  table.columns.forEach((c, i) => {
    const [want, got] = [source[`a${i}`], file[`a${i}`]];
    if (typeof want === 'number') {
      // Sums of doubles may differ in the last bits with the order of addition.
      expect(Math.abs(Number(got) - want), `${table.file}.${c.name}: ${got} vs ${want}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(want)));
    }
    else expect(got === null ? null : String(got), `${table.file}.${c.name}`).toBe(want === null ? null : String(want));
  });
}
