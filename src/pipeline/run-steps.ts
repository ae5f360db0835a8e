/**
 * The pieces a run is made of, shared by the full run (runner.ts) and the re-run of
 * changed models (rerun.ts): the report, task and step bookkeeping, building a model,
 * data tests, exports, cancellation and how a failure is written into the report.
 */
import { buildDag, DagError, type Dag, type DataTest, type Layer, type Model, type ModelFile } from './dag.ts';
import { CancelledError, type SqlEngine } from '../duckdb/sql-engine.ts';
import type { ExportFile, ExportSink } from './exports.ts';
import { buildInSlices } from './model-slices.ts';
import { TASK_IDS, type Finding, type InputFileInfo, type ModelReport, type RunReport, type TaskId, type TaskReport } from './types.ts';
import { showValue } from './validate.ts';
import { errorText, rawErrorText } from '../shared/error-text.ts';
import { nextTask } from '../shared/next-task.ts';

/** The layers each model task builds, in order (the quarantine is part of silver's work). */
export const LAYER_TASKS: Partial<Record<TaskId, Layer[]>> = {
  run_silver: ['silver', 'rejects'], run_gold: ['gold'], run_kpi: ['kpi'], run_segmentation: ['segmentation'],
};

/** A failure that the user can act on; its message is shown as is. */
export class TaskFailure extends Error {}

export function newReport(runId: string | undefined, inputs: InputFileInfo[]): RunReport {
  return {
    runId: runId ?? new Date().toISOString(),
    state: 'running',
    startedAt: Date.now(),
    inputs,
    tasks: TASK_IDS.map((id) => ({ id, state: 'queued', models: [], log: [] })),
    findings: [],
    tables: {},
    exports: [],
  };
}

export function taskOf(report: RunReport, id: TaskId): TaskReport {
  return report.tasks.find((t) => t.id === id)!;
}

/** Yields so a cancel message can arrive between statements, then honours it. */
export function cancellationCheckpoint(isCancelled?: () => boolean): () => Promise<void> {
  return async () => {
    await nextTask();
    if (isCancelled?.()) throw new CancelledError();
  };
}

/** Builds the DAG; its problems become a TaskFailure (shown as is). */
export function planDag(models: ModelFile[]): Dag {
  try {
    return buildDag(models);
  } catch (e) {
    if (e instanceof DagError) throw new TaskFailure(e.message);
    throw e;
  }
}

export function measuresOf(models: ModelFile[]): ModelFile | undefined {
  return models.find((m) => /(^|\/)models\/measures\.sql$/.test(m.path));
}

export function start(t: TaskReport, emit: () => void): TaskReport {
  t.state = 'running';
  t.startedAt = Date.now();
  emit();
  return t;
}

export function close(s: { startedAt?: number; endedAt?: number; durationMs?: number }) {
  s.endedAt = Date.now();
  s.durationMs = s.endedAt - (s.startedAt ?? s.endedAt);
}

export function finish(t: TaskReport, emit: () => void) {
  t.state = 'success';
  t.rows = t.models.reduce((sum, m) => sum + (m.id.startsWith('tests.') ? 0 : (m.rows ?? 0)), 0);
  close(t);
  emit();
}

export function skip(t: TaskReport, line: string) {
  t.state = 'skipped';
  t.log.push(line);
}

/** Runs one model-sized step inside a task, timing it and recording its rows. */
export async function step(t: TaskReport, id: string, emit: () => void, work: () => Promise<number>, log: (rows: number) => string) {
  const m: ModelReport = { id, state: 'running', startedAt: Date.now(), log: '' };
  t.models.push(m);
  emit();
  try {
    m.rows = await work();
    m.state = 'success';
    m.log = log(m.rows);
  } catch (e) {
    m.state = 'failed';
    m.error = m.log = rawErrorText(e);
    throw e;
  } finally {
    close(m);
    emit();
  }
}

/**
 * Builds the given models as steps of a task, in DAG order; a model that declares slices is
 * built `sliceRows` source rows per committed statement (0: in one piece).
 */
export async function buildModels(
  engine: SqlEngine, models: Model[], t: TaskReport, emit: () => void, checkpoint: () => Promise<void>, sliceRows = 0,
) {
  for (const model of models) {
    await checkpoint();
    await step(t, model.id, emit, async () => {
      try {
        // One statement each: DuckDB refuses model text that would hide a second one.
        if (model.slicesOf) await buildInSlices(engine, model, sliceRows, checkpoint);
        else await engine.execOne(`create table ${model.id} as\n${model.sql}`);
      } catch (e) {
        if (e instanceof CancelledError) throw e;
        throw new TaskFailure(`model ${model.id} (${model.path}) failed: ${errorText(e)}`);
      }
      const [{ n }] = await engine.query<{ n: number }>(`select count(*)::integer as n from ${model.id}`);
      return n;
    }, (rows) => `built ${model.id}: ${rows} rows`);
  }
}

/** Runs data tests as steps of a task; an `error` test with violations fails the task. */
export async function runDataTests(
  engine: SqlEngine, tests: DataTest[], t: TaskReport, findings: Finding[], emit: () => void, checkpoint: () => Promise<void>,
) {
  for (const test of tests) {
    await checkpoint();
    let failed: Finding | undefined;
    await step(t, test.id, emit, async () => {
      // ordered, so that the sample is the same whatever the number of threads
      const rows = await engine.query(`select count(*) over ()::integer as _violations, * from (\n${test.sql}\n) order by all limit 5`);
      if (rows.length > 0) {
        const count = Number(rows[0]._violations);
        const finding: Finding = {
          check: test.name, severity: test.severity, target: test.refs.join(', '), count,
          sample: rows.map(({ _violations: _, ...rest }) => rest),
          message: `data test ${test.name} (${test.description}): ${count} violating row${count === 1 ? '' : 's'}, e.g. ` +
            Object.entries(rows[0]).filter(([k]) => k !== '_violations').map(([k, v]) => `${k}=${showValue(v)}`).join(', '),
        };
        failed = finding;
        findings.push(finding);
        if (test.severity === 'error') throw new TaskFailure(finding.message);
      }
      return 0;
    }, () => (failed ? `${failed.message} (warning)` : `passed: ${test.description}`));
  }
}

/** Writes (or checks) each export file as a step of the export task. */
export async function runExports(
  engine: SqlEngine, exporter: ExportSink, files: ExportFile[], report: RunReport, t: TaskReport,
  emit: () => void, checkpoint: () => Promise<void>,
) {
  for (const file of files) {
    await checkpoint();
    let checked = '';
    await step(t, file.table, emit, async () => {
      const outcome = await exporter(file, engine);
      if (typeof outcome === 'number') report.exports.push({ name: file.name, bytes: outcome });
      else checked = outcome;
      return builtRows(report, file.table);
    }, (rows) => (checked ? `checked ${file.name}: ${checked}` : `wrote ${file.name}: ${rows} rows`));
  }
}

function builtRows(report: RunReport, table: string): number {
  for (const t of report.tasks) for (const m of t.models) if (m.id === table) return m.rows ?? 0;
  return 0;
}

/** Records why the run ended early: the task that was running fails, later ones did not run. */
export function recordFailure(report: RunReport, current: TaskReport | undefined, e: unknown) {
  report.state = e instanceof CancelledError ? 'cancelled' : 'failed';
  report.error = e instanceof TaskFailure || e instanceof CancelledError || e instanceof DagError ? e.message : `unexpected error: ${errorText(e)}`;
  if (current) {
    Object.assign(current, { state: 'failed', error: report.error });
    close(current);
    for (const m of current.models) if (m.state === 'running') Object.assign(m, { state: 'failed', error: report.error });
  }
  for (const t of report.tasks) if (t.state === 'queued') t.state = report.state === 'cancelled' ? 'skipped' : 'upstream_failed';
}

export function endReport(report: RunReport) {
  report.endedAt = Date.now();
  report.durationMs = report.endedAt - report.startedAt;
}
