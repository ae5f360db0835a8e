/**
 * Checks models against DuckDB itself, whether or not there are results yet: each model
 * is built exactly as a run builds it (`create table <id> as <sql>`, one statement, so
 * DuckDB refuses text hiding a second one), in a throw-away in-memory catalog where the
 * tables it reads exist empty: bronze with the source contracts' columns, and every
 * upstream model built, empty, from its own SQL in DAG order. Nothing of the results is
 * read or changed, and the `use` of the current catalog is restored afterwards.
 */
import type { SqlEngine } from '../duckdb/sql-engine.ts';
import { rawErrorText } from '../shared/error-text.ts';
import { assertSimpleName, quoteIdent } from '../sql/quote.ts';
import { buildDag, LAYERS, type ModelFile } from './dag.ts';
import { measuresOf } from './run-steps.ts';
import { SOURCES } from './sources.ts';

/** The throw-away catalog the models are built in. */
const PROBE = 'model_probe';

/** Why a model failed: its own DuckDB error, or an upstream model it reads failed first. */
export interface ProbeFailure {
  id: string;
  /** DuckDB's error text, for the model's own statement. */
  error: string;
  /** Set when the failing statement is that of an upstream model. */
  upstream?: string;
  /** The exact statement DuckDB was given (error positions count from its start). */
  sql: string;
}

/** The statement a run executes for a model (src/pipeline/run-steps.ts builds the same). */
export function buildStatement(id: string, sql: string): string {
  return `create table ${id} as\n${sql}`;
}

/**
 * Builds the `targets` (model ids) and everything they read on empty inputs; returns
 * the first failure that concerns each target. `models` is the whole chain (valid DAG).
 */
export async function probeModels(engine: SqlEngine, models: ModelFile[], targets: string[]): Promise<Map<string, ProbeFailure>> {
  const dag = buildDag(models);
  const needed = new Set<string>();
  const add = (id: string) => {
    if (needed.has(id)) return;
    needed.add(id);
    for (const ref of dag.byId.get(id)?.refs ?? []) add(ref);
  };
  targets.forEach(add);
  const [{ current }] = await engine.query<{ current: string }>('select current_database() as current');
  await engine.exec(`detach database if exists ${PROBE}; attach ':memory:' as ${PROBE}; use ${PROBE};`);
  const failed = new Map<string, ProbeFailure>();
  try {
    for (const layer of LAYERS) await engine.exec(`create schema ${layer};`);
    for (const source of SOURCES.filter((s) => needed.has(`bronze.${s.id}`))) {
      const columns = [...source.columns.map((c) => `${quoteIdent(c)} varchar`), '_source_file varchar', '_source_line integer'];
      await engine.exec(`create table bronze.${source.id} (${columns.join(', ')});`);
    }
    // models/measures.sql is shipped with the app, never an override (src/workers/models/model-guard.ts).
    const measures = measuresOf(models);
    if (measures) await engine.exec(measures.sql);
    for (const model of dag.models.filter((m) => needed.has(m.id))) {
      const upstream = model.refs.map((r) => failed.get(r)).find((f) => f !== undefined);
      if (upstream) {
        failed.set(model.id, { ...upstream, id: model.id, upstream: upstream.upstream ?? upstream.id });
        continue;
      }
      const sql = buildStatement(model.id, model.sql);
      try {
        await engine.execOne(sql);
      } catch (e) {
        failed.set(model.id, { id: model.id, error: rawErrorText(e), sql });
      }
    }
  } finally {
    await engine.exec(`use ${assertSimpleName(current)}; detach database if exists ${PROBE};`);
  }
  return new Map(targets.filter((t) => failed.has(t)).map((t) => [t, failed.get(t)!]));
}
