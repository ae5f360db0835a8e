/**
 * Runs the DAG: ingest_bronze -> validate_data -> run_silver -> run_gold -> run_kpi
 * -> run_segmentation -> export_for_powerbi, reporting every task and model as it goes.
 * Builds into a staging catalog and keeps it only when every task succeeded.
 */
import { describeCsvError } from './csv-errors.ts';
import { assignSources } from './csv-inspect.ts';
import { buildDag, DagError, type Dag, type DataTest, type Layer, type ModelFile } from './dag.ts';
import { CancelledError, type SqlEngine } from './engine.ts';
import { exportFiles, type ExportFormat, type ExportSink } from './exports.ts';
import { loadBronze, type SourceInput } from './ingest.ts';
import { abandonStage, commitStage, openStage, type Stage } from './stage.ts';
import { assessInputSize } from './size-guard.ts';
import { SOURCES } from './sources.ts';
import { TASK_IDS, type Finding, type ModelReport, type RunReport, type TaskId, type TaskReport } from './types.ts';
import { showValue, validateSources } from './validate.ts';

export interface RunOptions {
  engine: SqlEngine;
  /** `models/**\/*.sql` as shipped (or edited), plus `models/measures.sql`. */
  models: ModelFile[];
  inputs: SourceInput[];
  /** The pipeline's today, yyyy-mm-dd (defaults to the UTC date). */
  runDate?: string;
  runId?: string;
  /** Where export_for_powerbi writes (or what it checks); without one the task is skipped. */
  exporter?: ExportSink;
  /** The format of the exported table files (default csv). */
  exportFormat?: ExportFormat;
  onProgress?: (report: RunReport) => void;
  isCancelled?: () => boolean;
  /** Refuse inputs too large for the engine (the browser sets it; Node has no such cap). */
  guardSize?: { deviceMemoryGiB?: number };
}

/** The layers each model task builds, in order (the quarantine is part of silver's work). */
export const LAYER_TASKS: Partial<Record<TaskId, Layer[]>> = {
  run_silver: ['silver', 'rejects'], run_gold: ['gold'], run_kpi: ['kpi'], run_segmentation: ['segmentation'],
};

/** A failure that the user can act on; its message is shown as is. */
export class TaskFailure extends Error {}

export async function runPipeline(opts: RunOptions): Promise<RunReport> {
  const { engine } = opts;
  const report: RunReport = {
    runId: opts.runId ?? new Date().toISOString(),
    state: 'running',
    startedAt: Date.now(),
    inputs: opts.inputs.map((i) => ({ name: i.inspection.name, size: i.inspection.size, source: i.inspection.source, sha256: i.sha256 })),
    tasks: TASK_IDS.map((id) => ({ id, state: 'queued', models: [], log: [] })),
    findings: [],
    tables: {},
    exports: [],
  };
  const emit = () => opts.onProgress?.(structuredClone(report));
  const task = (id: TaskId) => report.tasks.find((t) => t.id === id)!;
  const checkpoint = async () => {
    // Yield so a cancel message can arrive between statements.
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (opts.isCancelled?.()) throw new CancelledError();
  };
  emit();

  let stage: Stage | undefined;
  let current: TaskReport | undefined;
  try {
    current = start(task('ingest_bronze'), emit);
    const assignment = assignSources(opts.inputs.map((i) => i.inspection));
    if (assignment.problems.length) throw new TaskFailure(assignment.problems.join('; '));
    if (opts.guardSize) {
      const size = assessInputSize(opts.inputs.reduce((sum, i) => sum + i.inspection.size, 0), opts.guardSize.deviceMemoryGiB);
      if (size.verdict === 'too-large') throw new TaskFailure(size.message!);
    }
    const dag = planDag(opts.models);
    stage = await openStage(engine, opts.runDate ?? new Date().toISOString().slice(0, 10));
    const bySource = new Map(opts.inputs.map((i) => [i.inspection.source, i]));
    for (const source of SOURCES) {
      const input = bySource.get(source.id)!;
      await checkpoint();
      await step(current, `bronze.${source.id}`, emit, async () => {
        try {
          return await loadBronze(engine, source.id, input);
        } catch (e) {
          throw new TaskFailure(describeCsvError(input.inspection.name, source.label, e instanceof Error ? e.message : String(e)));
        }
      }, (rows) => `loaded ${rows} rows from ${input.inspection.name}`);
    }
    finish(current, emit);

    current = start(task('validate_data'), emit);
    const files = SOURCES.map((s) => ({ id: s.id, file: bySource.get(s.id)!.inspection.name }));
    const { findings, checks } = await validateSources(engine, files, checkpoint);
    report.findings.push(...findings);
    current.log.push(`${checks} checks, ${findings.length} with findings`);
    const blocking = findings.filter((f) => f.severity === 'error');
    if (blocking.length) throw new TaskFailure(`validation failed: ${blocking.map((f) => f.message).join('; ')}`);
    finish(current, emit);

    const measures = opts.models.find((m) => /(^|\/)models\/measures\.sql$/.test(m.path));
    for (const [taskId, layers] of Object.entries(LAYER_TASKS) as [TaskId, Layer[]][]) {
      current = start(task(taskId), emit);
      if (layers.includes('kpi') && measures) await engine.exec(measures.sql);
      for (const model of dag.models.filter((m) => layers.includes(m.layer))) {
        await checkpoint();
        await step(current, model.id, emit, async () => {
          try {
            await engine.exec(`create table ${model.id} as\n${model.sql}`);
          } catch (e) {
            throw new TaskFailure(`model ${model.id} (${model.path}) failed: ${firstLine(e)}`);
          }
          const [{ n }] = await engine.query<{ n: number }>(`select count(*)::integer as n from ${model.id}`);
          return n;
        }, (rows) => `built ${model.id}: ${rows} rows`);
      }
      await runDataTests(engine, dag.tests.filter((t) => layers.includes(t.layer)), current, report.findings, emit, checkpoint);
      finish(current, emit);
    }

    current = start(task('export_for_powerbi'), emit);
    if (!opts.exporter) {
      current.state = 'skipped';
      current.log.push('no export destination given');
      emit();
    } else {
      for (const file of exportFiles(dag.models.map((m) => m.id), opts.exportFormat)) {
        await checkpoint();
        let checked = '';
        await step(current, file.table, emit, async () => {
          const outcome = await opts.exporter!(file, engine);
          if (typeof outcome === 'number') report.exports.push({ name: file.name, bytes: outcome });
          else checked = outcome;
          return builtRows(report, file.table);
        }, (rows) => (checked ? `checked ${file.name}: ${checked}` : `wrote ${file.name}: ${rows} rows`));
      }
      finish(current, emit);
    }
    current = undefined;
    for (const t of report.tasks) for (const m of t.models) if (m.rows !== undefined && !m.id.startsWith('tests.')) report.tables[m.id] = m.rows;
    await commitStage(engine, stage);
    report.state = 'success';
  } catch (e) {
    report.state = e instanceof CancelledError ? 'cancelled' : 'failed';
    report.error = e instanceof TaskFailure || e instanceof CancelledError || e instanceof DagError ? e.message : `unexpected error: ${firstLine(e)}`;
    if (current) {
      current.state = 'failed';
      current.error = report.error;
      close(current);
      for (const m of current.models) if (m.state === 'running') Object.assign(m, { state: 'failed', error: report.error });
    }
    for (const t of report.tasks) if (t.state === 'queued') t.state = report.state === 'cancelled' ? 'skipped' : 'upstream_failed';
    if (stage) await abandonStage(engine, stage).catch(() => undefined);
  }
  report.endedAt = Date.now();
  report.durationMs = report.endedAt - report.startedAt;
  emit();
  return report;
}

function builtRows(report: RunReport, table: string): number {
  for (const t of report.tasks) for (const m of t.models) if (m.id === table) return m.rows ?? 0;
  return 0;
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
    m.error = m.log = e instanceof Error ? e.message : String(e);
    throw e;
  } finally {
    close(m);
    emit();
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
      const rows = await engine.query(`select count(*) over ()::integer as _violations, * from (\n${test.sql}\n) limit 5`);
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

export function firstLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.replace(/^Error:\s*/, '').split('\n')[0];
}
