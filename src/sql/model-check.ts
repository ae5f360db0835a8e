/**
 * Checks an edited or new model before it is saved or run: where it lives, its grain
 * line, that it is exactly one query, and that the DAG with it is still valid (every
 * reference exists, no layer reads what it may not, no cycle). DuckDB's own parse and
 * bind check happens in the worker (models-api.ts).
 */
import { buildDag, DagError, parseModel, type ModelFile } from '../pipeline/dag.ts';
import type { ModelReport, RunReport } from '../pipeline/types.ts';
import { isQuery, planStatements } from './guard.ts';

export interface ModelProblem {
  message: string;
  /** Character offset in the SQL, when the problem has a place. */
  offset?: number;
}

/** Where a new KPI model lives: `models/kpi/<name>.sql`. */
export function newKpiPath(name: string): string {
  return `models/kpi/${name}.sql`;
}

/** Shipped models with the overrides applied (an override of a new path adds a model). */
export function withOverrides(shipped: ModelFile[], overrides: ModelFile[]): ModelFile[] {
  const byPath = new Map(overrides.map((o) => [o.path, o.sql]));
  const merged = shipped.map((m) => (byPath.has(m.path) ? { path: m.path, sql: byPath.get(m.path)! } : m));
  const added = overrides.filter((o) => !shipped.some((m) => m.path === o.path));
  return [...merged, ...added].sort((a, b) => a.path.localeCompare(b.path));
}

/** Problems of `sql` as the model at `path`, within all the other models; empty when fine. */
export function checkModel(path: string, sql: string, others: ModelFile[]): ModelProblem[] {
  const model = parseModel({ path, sql });
  if (!model) return [{ message: 'a model lives at models/<layer>/<name>.sql, with a lower-case name of letters, digits and _' }];
  const problems: ModelProblem[] = [];
  const firstLine = sql.split('\n').find((line) => line.trim() !== '') ?? '';
  if (!/^\s*--\s*grain:\s*\S/.test(firstLine)) {
    problems.push({ message: 'line 1 must state the grain, e.g. "-- grain: one row per month"', offset: 0 });
  }
  const { plans, problem } = planStatements(sql);
  if (problem) problems.push({ message: `the SQL cannot be read: ${problem}` });
  else if (plans.length !== 1) problems.push({ message: `a model is exactly one query; this text has ${plans.length} statements`, offset: plans[1].statement.from });
  else if (!isQuery(plans[0].statement)) problems.push({ message: 'a model is a query (select … or with … select …), not a statement that changes data', offset: plans[0].statement.from });
  try {
    buildDag(withOverrides(others, [{ path, sql }]));
  } catch (e) {
    if (!(e instanceof DagError)) throw e;
    problems.push(...e.problems.map((message) => ({ message })));
  }
  return problems;
}

/**
 * What the current results do not reflect yet: models whose SQL now differs from the
 * SQL they were built with (`applied`, by path; shipped SQL where absent) are rebuilt,
 * added models that were removed are dropped.
 */
export function pendingChanges(shipped: ModelFile[], overrides: ModelFile[], applied: Record<string, string>): { from: string[]; drop: string[] } {
  const shippedSql = (path: string) => shipped.find((m) => m.path === path)?.sql;
  const paths = [...new Set([...shipped.map((m) => m.path), ...overrides.map((o) => o.path), ...Object.keys(applied)])];
  const from: string[] = [];
  const drop: string[] = [];
  for (const path of paths) {
    const id = parseModel({ path, sql: '' })?.id;
    if (!id) continue;
    const now = overrides.find((o) => o.path === path)?.sql ?? shippedSql(path);
    const was = path in applied ? applied[path] : shippedSql(path);
    if (now === was) continue;
    if (now === undefined) drop.push(id);
    else from.push(id);
  }
  return { from, drop };
}

/** True for the report of a downstream re-run (its ingest task was skipped, saying so). */
export function isRerun(report: RunReport): boolean {
  return report.tasks[0]?.state === 'skipped' && report.tasks[0].log.some((l) => l.startsWith('re-run from'));
}

/** The last run of each model: a full run replaces what was known, a re-run updates what it rebuilt. */
export function mergeRuns(known: Record<string, ModelReport>, report: RunReport): Record<string, ModelReport> {
  const runs = isRerun(report) ? { ...known } : {};
  for (const t of report.tasks) for (const m of t.models) runs[m.id] = m;
  return runs;
}
