/**
 * Remembered answers of dashboard queries, for the current results only: the same
 * statement with the same parameters over the same results catalog gives the same rows.
 */
import type { Row, SqlEngine, SqlValue } from '../../duckdb/sql-engine.ts';

/** Enough for every chart of every page under dozens of filter states; rows are small. */
const MAX_ANSWERS = 400;

const caches = new WeakMap<SqlEngine, { oid: number; answers: Map<string, Row[]> }>();

function answersFor(e: SqlEngine, oid: number): Map<string, Row[]> {
  let cache = caches.get(e);
  if (!cache || cache.oid !== oid) {
    cache = { oid, answers: new Map() };
    caches.set(e, cache);
  }
  return cache.answers;
}

/** The remembered answer of this statement over the results catalog `oid`, if any. */
export function knownAnswer(e: SqlEngine, oid: number, sql: string, params: SqlValue[]): Row[] | undefined {
  const answers = answersFor(e, oid);
  const key = JSON.stringify([sql, params]);
  const known = answers.get(key);
  if (known) {
    // Most recently used last: the oldest answer is the one dropped.
    answers.delete(key);
    answers.set(key, known);
  }
  return known;
}

/** Whether the answer of this statement over the results catalog `oid` is remembered (its place in the order left as it is). */
export function isAnswerKnown(e: SqlEngine, oid: number, sql: string, params: SqlValue[]): boolean {
  const cache = caches.get(e);
  return cache?.oid === oid && cache.answers.has(JSON.stringify([sql, params]));
}

/** Remembers the answer of this statement over the results catalog `oid`. */
export function rememberAnswer(e: SqlEngine, oid: number, sql: string, params: SqlValue[], rows: Row[]): void {
  const answers = answersFor(e, oid);
  answers.set(JSON.stringify([sql, params]), rows);
  if (answers.size > MAX_ANSWERS) answers.delete(answers.keys().next().value as string);
}

/** Runs the query unless its answer for the results catalog `oid` is known. */
export async function cachedQuery(e: SqlEngine, oid: number, sql: string, params: SqlValue[]): Promise<Row[]> {
  const known = knownAnswer(e, oid, sql, params);
  if (known) return known;
  const rows = await e.query(sql, params);
  rememberAnswer(e, oid, sql, params, rows);
  return rows;
}

/** Forgets every remembered answer of this engine (benchmarks compare query shapes with it). */
export function forgetAnswers(e: SqlEngine): void {
  caches.delete(e);
}
