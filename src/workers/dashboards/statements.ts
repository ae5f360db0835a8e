/**
 * Prepared page statements, kept while the dashboards' tables stay the same: a filter
 * state of the same shape as one seen before (the same filters with other values) runs
 * the statement prepared for it with new parameters, skipping DuckDB's parse, bind and
 * plan — milliseconds per statement in the wasm engine. Dropped when the tables are built
 * again (a prepared statement must not outlive the tables it was planned on).
 */
import type { Table } from 'apache-arrow';
import type { SqlValue } from '../../duckdb/sql-engine.ts';
import type { WasmEngine } from '../../duckdb/wasm-engine.ts';

/** Statements kept per engine: shapes of a page under the filters of a visit. */
const MAX_STATEMENTS = 48;

type Prepared = ReturnType<WasmEngine['conn']['prepare']>;

const kept = new WeakMap<WasmEngine, { tables: object; statements: Map<string, Prepared> }>();

/** Closes every kept statement of this engine (its tables are about to change, or changed). */
export function closeStatements(e: WasmEngine): void {
  const entry = kept.get(e);
  kept.delete(e);
  for (const s of entry?.statements.values() ?? []) s.close();
}

/**
 * Runs `sql` with `params` through a statement prepared for the tables `tables` (an object
 * that is replaced whenever they are built again); `timing.prepareMs` gets the time spent
 * preparing (0 when the statement was kept).
 */
export function runPrepared(e: WasmEngine, tables: object, sql: string, params: SqlValue[], timing: { prepareMs: number }): Table {
  let entry = kept.get(e);
  if (entry?.tables !== tables) {
    closeStatements(e);
    entry = { tables, statements: new Map() };
    kept.set(e, entry);
  }
  let statement = entry.statements.get(sql);
  if (statement) entry.statements.delete(sql);
  else {
    const t = performance.now();
    statement = e.conn.prepare(sql);
    timing.prepareMs += performance.now() - t;
  }
  // Most recently used last: the oldest is closed first.
  entry.statements.set(sql, statement);
  if (entry.statements.size > MAX_STATEMENTS) {
    const [oldest, s] = entry.statements.entries().next().value as [string, Prepared];
    entry.statements.delete(oldest);
    s.close();
  }
  return statement.query(...params);
}
