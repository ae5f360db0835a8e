/**
 * What the worker checks before a model is saved or re-run, whatever the page sent:
 * every override is a model file (never models/measures.sql or a data test), follows
 * the rules (grain line, exactly one query, a valid DAG: ../../sql/model-check.ts), and
 * builds in DuckDB on empty inputs (../../pipeline/model-probe.ts) — with or without results.
 */
import type { SqlEngine } from '../../duckdb/sql-engine.ts';
import { parseModel, type ModelFile } from '../../pipeline/dag.ts';
import { buildStatement, probeModels, type ProbeFailure } from '../../pipeline/model-probe.ts';
import { errorText } from '../../shared/error-text.ts';
import { placeError } from '../../sql/error-position.ts';
import { checkModel, withOverrides, type ModelProblem } from '../../sql/model-check.ts';

/** The overrides that are model files; anything else is never applied. */
function modelOverrides(overrides: ModelFile[]): ModelFile[] {
  return overrides.filter((o) => parseModel(o) !== undefined);
}

/** A probe failure as a problem of the model's own text (positions mapped back into it). */
function probeProblem(failure: ProbeFailure, sql: string): ModelProblem {
  if (failure.upstream) return { message: `it reads ${failure.upstream}, which DuckDB refuses: ${errorText(failure.error)}` };
  const prefix = buildStatement(failure.id, '').length;
  const placed = placeError(failure.error, failure.sql);
  const offset = placed.offset !== undefined && placed.offset >= prefix ? Math.min(placed.offset - prefix, sql.length) : undefined;
  return offset === undefined ? { message: placed.message } : { message: placed.message, offset };
}

/** Problems of `sql` as the model at `path`, with the other overrides applied; empty when it may be saved. */
export async function modelProblems(engine: SqlEngine, shipped: ModelFile[], path: string, sql: string, overrides: ModelFile[]): Promise<ModelProblem[]> {
  const others = modelOverrides(overrides).filter((o) => o.path !== path);
  const problems = checkModel(path, sql, withOverrides(shipped, others));
  if (problems.length) return problems;
  const id = parseModel({ path, sql })!.id;
  const failures = await probeModels(engine, withOverrides(shipped, [...others, { path, sql }]), [id]);
  const failure = failures.get(id);
  return failure ? [probeProblem(failure, sql)] : [];
}

/** Every reason not to re-run with these overrides, in words naming the model; empty when all pass. */
export async function overrideProblems(engine: SqlEngine, shipped: ModelFile[], overrides: ModelFile[]): Promise<string[]> {
  const problems: string[] = [];
  for (const o of overrides) {
    if (!parseModel(o)) {
      problems.push(`${o.path} is not a model file (models/<layer>/<name>.sql)`);
      continue;
    }
    const others = withOverrides(shipped, modelOverrides(overrides).filter((x) => x.path !== o.path));
    for (const p of checkModel(o.path, o.sql, others)) problems.push(`${o.path}: ${p.message}`);
  }
  if (problems.length) return problems;
  const ids = overrides.map((o) => parseModel(o)!.id);
  const failures = await probeModels(engine, withOverrides(shipped, overrides), ids);
  for (const o of overrides) {
    const failure = failures.get(parseModel(o)!.id);
    if (failure) problems.push(`${o.path}: ${probeProblem(failure, o.sql).message}`);
  }
  return problems;
}
