/**
 * Re-runs the DAG downstream of changed models only. A fresh staging catalog sees
 * every table that is not rebuilt through a view onto the current results (no copy),
 * rebuilds the changed models and everything downstream, runs the data tests that
 * read them, and only when all of that succeeded copies the rebuilt tables into the
 * current results in one transaction. Any failure leaves the results as they were.
 */
import { downstreamOf, LAYERS, type Layer, type ModelFile } from './dag.ts';
import type { SqlEngine } from '../duckdb/sql-engine.ts';
import { MODEL_SLICE_ROWS } from './model-slices.ts';
import { exportFiles, type ExportFormat, type ExportSink } from './exports.ts';
import {
  buildModels, cancellationCheckpoint, endReport, finish, LAYER_TASKS, measuresOf, newReport, planDag, recordFailure,
  runDataTests, runExports, skip, start, taskOf, TaskFailure,
} from './run-steps.ts';
import { assertSimpleName, quoteIdent } from '../sql/quote.ts';
import { abandonStage, openStage, type Stage } from './stage.ts';
import type { RunReport, TaskId, TaskReport } from './types.ts';

export interface RerunOptions {
  engine: SqlEngine;
  /** Every model file as it should be now (shipped, with local overrides), plus measures.sql. */
  models: ModelFile[];
  /** Models whose SQL changed or that were added: they and everything downstream are rebuilt. */
  from: string[];
  /** Tables of models that were removed: dropped from the results. */
  drop?: string[];
  /** The report of the current results: inputs, findings and table sizes carry over. */
  previous?: RunReport;
  exporter?: ExportSink;
  exportFormat?: ExportFormat;
  /** Checks the models before anything is built; throws (a TaskFailure) to refuse the re-run. */
  verify?: () => Promise<void>;
  runId?: string;
  onProgress?: (report: RunReport) => void;
  isCancelled?: () => boolean;
  /** Source rows per committed statement of a model built in slices (default MODEL_SLICE_ROWS; 0: one piece). */
  modelSliceRows?: number;
}

/** Rebuilds what `from` changed; reports like a run, with untouched tasks `skipped`. */
export async function rerunFrom(opts: RerunOptions): Promise<RunReport> {
  const { engine, previous } = opts;
  const report = newReport(opts.runId, previous?.inputs ?? []);
  const emit = () => opts.onProgress?.(structuredClone(report));
  const task = (id: TaskId) => taskOf(report, id);
  const checkpoint = cancellationCheckpoint(opts.isCancelled);
  const drop = new Set(opts.drop ?? []);
  emit();

  let stage: Stage | undefined;
  let current: TaskReport | undefined;
  try {
    current = task('ingest_bronze');
    const dag = planDag(opts.models);
    await opts.verify?.();
    const unknown = opts.from.filter((id) => !dag.byId.has(id));
    if (unknown.length) throw new TaskFailure(`there is no model ${unknown.join(', ')}`);
    const rebuilt = new Set(opts.from.flatMap((id) => downstreamOf(dag, id).map((m) => m.id)));
    const tests = dag.tests.filter((t) => t.refs.some((r) => rebuilt.has(r)));
    const [{ results, runDate }] = await engine.query<{ results: string; runDate: string | null }>(
      `select current_database() as results, strftime(getvariable('run_date'), '%Y-%m-%d') as runDate`,
    );
    const kept = await engine.query<{ schema: string; name: string }>(
      `select schema_name as schema, table_name as name from duckdb_tables() where database_name = current_database()`,
    );
    if (!kept.some((t) => t.schema === 'gold')) throw new TaskFailure('there are no results to re-run from: run the whole pipeline first');
    const origin = previous ? `the run of ${new Date(previous.startedAt).toISOString().slice(0, 16).replace('T', ' ')} UTC` : 'the current results';
    skip(current, `re-run from ${opts.from.join(', ') || 'removed models'}: the source files and upstream tables are kept from ${origin}`);
    skip(task('validate_data'), `kept from ${origin}`);
    current = undefined;
    emit();

    stage = await openStage(engine, runDate ?? new Date().toISOString().slice(0, 10));
    for (const t of kept) {
      const id = `${t.schema}.${t.name}`;
      if (rebuilt.has(id) || drop.has(id) || !(LAYERS as readonly string[]).includes(t.schema)) continue;
      const name = `${quoteIdent(t.schema)}.${quoteIdent(t.name)}`;
      await engine.exec(`create view ${name} as select * from ${quoteIdent(results)}.${name}`);
    }
    const measures = measuresOf(opts.models);
    if (measures) await engine.exec(measures.sql);

    for (const [taskId, layers] of Object.entries(LAYER_TASKS) as [TaskId, Layer[]][]) {
      const models = dag.models.filter((m) => layers.includes(m.layer) && rebuilt.has(m.id));
      const layerTests = tests.filter((t) => layers.includes(t.layer));
      if (models.length === 0 && layerTests.length === 0) {
        skip(task(taskId), 'nothing to rebuild: the tables are kept');
        continue;
      }
      current = start(task(taskId), emit);
      await buildModels(engine, models, current, emit, checkpoint, opts.modelSliceRows ?? MODEL_SLICE_ROWS);
      await runDataTests(engine, layerTests, current, report.findings, emit, checkpoint);
      finish(current, emit);
    }

    current = task('export_for_powerbi');
    const files = exportFiles([...rebuilt], opts.exportFormat);
    if (!opts.exporter || files.length === 0) {
      skip(current, files.length ? 'no export destination given' : 'no exported table was rebuilt');
    } else {
      start(current, emit);
      await runExports(engine, opts.exporter, files, report, current, emit, checkpoint);
      finish(current, emit);
    }
    current = undefined;
    await checkpoint();
    await copyInto(engine, results, [...rebuilt], [...drop]);
    await abandonStage(engine, stage);
    stage = undefined;
    carryOver(report, previous, rebuilt, drop, tests.map((t) => t.name));
    report.state = 'success';
  } catch (e) {
    recordFailure(report, current, e);
    if (stage) await abandonStage(engine, stage).catch(() => undefined);
  }
  endReport(report);
  emit();
  return report;
}

/** Replaces the rebuilt tables of the results (and drops removed ones) in one transaction. */
async function copyInto(engine: SqlEngine, results: string, rebuilt: string[], drop: string[]): Promise<void> {
  const target = quoteIdent(assertSimpleName(results));
  const statements = [
    ...rebuilt.map((id) => `create schema if not exists ${target}.${id.split('.')[0]}; create or replace table ${target}.${id} as select * from ${id};`),
    ...drop.map((id) => `drop table if exists ${target}.${id};`),
  ];
  await engine.exec('begin transaction');
  try {
    for (const sql of statements) await engine.exec(sql);
    await engine.exec('commit');
  } catch (e) {
    await engine.exec('rollback').catch(() => undefined);
    throw e;
  }
}

/** Table sizes and findings of the tables that were kept come from the previous report. */
function carryOver(report: RunReport, previous: RunReport | undefined, rebuilt: Set<string>, drop: Set<string>, tests: string[]) {
  const tables = { ...(previous?.tables ?? {}) };
  for (const id of drop) delete tables[id];
  for (const t of report.tasks) for (const m of t.models) if (rebuilt.has(m.id) && m.rows !== undefined) tables[m.id] = m.rows;
  report.tables = tables;
  const kept = (previous?.findings ?? []).filter((f) => !tests.includes(f.check));
  report.findings = [...kept, ...report.findings];
}
