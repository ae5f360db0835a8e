/**
 * Remembered answers of dashboard queries, for the current results only: the same
 * statement with the same parameters over the same results catalog gives the same rows.
 */
import type { Row, SqlEngine, SqlValue } from '../../duckdb/sql-engine.ts';

/** Enough for every chart of every page under dozens of filter states; rows are small. */
const MAX_ANSWERS = 400;

const caches = new WeakMap<SqlEngine, { oid: number; answers: Map<string, Row[]> }>();

/** Runs the query unless its answer for the results catalog `oid` is known. */
export async function cachedQuery(e: SqlEngine, oid: number, sql: string, params: SqlValue[]): Promise<Row[]> {
  let cache = caches.get(e);
  if (!cache || cache.oid !== oid) {
    cache = { oid, answers: new Map() };
    caches.set(e, cache);
  }
  const key = JSON.stringify([sql, params]);
  const known = cache.answers.get(key);
  if (known) {
    // Most recently used last: the oldest answer is the one dropped.
    cache.answers.delete(key);
    cache.answers.set(key, known);
    return known;
  }
  const rows = await e.query(sql, params);
  cache.answers.set(key, rows);
  if (cache.answers.size > MAX_ANSWERS) cache.answers.delete(cache.answers.keys().next().value as string);
  return rows;
}
