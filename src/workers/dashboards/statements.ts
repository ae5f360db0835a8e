/**
 * Prepared page statements, kept while the dashboards' tables stay the same: a filter
 * state of the same shape as one seen before (the same filters with other values) runs
 * the statement prepared for it with new parameters, skipping DuckDB's parse, bind and
 * plan — milliseconds per statement in the wasm engine. Statements are also prepared
 * ahead, while the page is idle (./prepare-ahead.ts). Dropped when the tables are built
 * again (a prepared statement must not outlive the tables it was planned on).
 */
import type { Table } from 'apache-arrow';
import type { SqlValue } from '../../duckdb/sql-engine.ts';
import type { WasmEngine } from '../../duckdb/wasm-engine.ts';

/**
 * Statements kept per engine: shapes of a page under the filters of a visit. A round of
 * preparing ahead adds at most about fifteen (every filter that could be added or
 * removed), so this holds the current round, the statement it follows and the rounds
 * of the two or three states before (a removed filter often goes back to one of those).
 */
const MAX_STATEMENTS = 48;

type Prepared = ReturnType<WasmEngine['conn']['prepare']>;

const kept = new WeakMap<WasmEngine, { tables: object; statements: Map<string, Prepared> }>();

/** Closes every kept statement of this engine (its tables are about to change, or changed). */
export function closeStatements(e: WasmEngine): void {
  const entry = kept.get(e);
  kept.delete(e);
  for (const s of entry?.statements.values() ?? []) s.close();
}

/** The statements kept for `tables` (a new, empty list when they were kept for other tables). */
function statementsFor(e: WasmEngine, tables: object): Map<string, Prepared> {
  let entry = kept.get(e);
  if (entry?.tables !== tables) {
    closeStatements(e);
    entry = { tables, statements: new Map() };
    kept.set(e, entry);
  }
  return entry.statements;
}

/** The statement for `sql`, prepared now unless kept, as the most recently used; the oldest beyond the bound is closed. */
function statementFor(e: WasmEngine, tables: object, sql: string, timing: { prepareMs: number }): Prepared {
  const statements = statementsFor(e, tables);
  let statement = statements.get(sql);
  if (statement) statements.delete(sql);
  else {
    const t = performance.now();
    statement = e.conn.prepare(sql);
    timing.prepareMs += performance.now() - t;
  }
  // Most recently used last: the oldest is closed first.
  statements.set(sql, statement);
  if (statements.size > MAX_STATEMENTS) {
    const [oldest, s] = statements.entries().next().value as [string, Prepared];
    statements.delete(oldest);
    s.close();
  }
  return statement;
}

/**
 * Runs `sql` with `params` through a statement prepared for the tables `tables` (an object
 * that is replaced whenever they are built again); `timing.prepareMs` gets the time spent
 * preparing (0 when the statement was kept).
 */
export function runPrepared(e: WasmEngine, tables: object, sql: string, params: SqlValue[], timing: { prepareMs: number }): Table {
  return statementFor(e, tables, sql, timing).query(...params);
}

/** Whether a statement for `sql` is kept for the tables `tables`. */
export function isPrepared(e: WasmEngine, tables: object, sql: string): boolean {
  const entry = kept.get(e);
  return entry?.tables === tables && entry.statements.has(sql);
}

/** Prepares `sql` for the tables `tables` without running it (kept like the others); the ms it took (0 when kept). */
export function prepareOnly(e: WasmEngine, tables: object, sql: string): number {
  const timing = { prepareMs: 0 };
  statementFor(e, tables, sql, timing);
  return timing.prepareMs;
}
