/**
 * Runs the DAG: ingest_bronze -> validate_data -> run_silver -> run_gold -> run_kpi
 * -> run_segmentation -> export_for_powerbi, reporting every task and model as it goes.
 * Builds into a staging catalog and keeps it only when every task succeeded.
 */
import { describeCsvError } from './csv-errors.ts';
import { assignSources } from './csv-inspect.ts';
import type { Layer, ModelFile } from './dag.ts';
import { CancelledError, type SqlEngine } from '../duckdb/sql-engine.ts';
import { exportFiles, type ExportFormat, type ExportSink } from './exports.ts';
import { loadBronze, type SourceInput } from './ingest.ts';
import { MODEL_SLICE_ROWS } from './model-slices.ts';
import {
  buildModels, cancellationCheckpoint, endReport, finish, LAYER_TASKS, measuresOf, newReport, planDag, recordFailure,
  runDataTests, runExports, skip, start, step, taskOf, TaskFailure,
} from './run-steps.ts';
import { abandonStage, commitStage, openStage, type Stage } from './stage.ts';
import { assessInputSize } from './size-guard.ts';
import { SOURCES } from './sources.ts';
import type { RunReport, TaskId, TaskReport } from './types.ts';
import { validateSources } from './validate.ts';
import { rawErrorText } from '../shared/error-text.ts';

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
  /** Source rows per committed statement of a model built in slices (default MODEL_SLICE_ROWS; 0: one piece). */
  modelSliceRows?: number;
  /** Refuse inputs too large for the engine (the browser sets it; Node has no such cap). */
  guardSize?: { deviceMemoryGiB?: number; heldInputBytes?: number };
}

export async function runPipeline(opts: RunOptions): Promise<RunReport> {
  const { engine } = opts;
  const report = newReport(opts.runId, opts.inputs.map((i) => ({
    name: i.inspection.name, size: i.inspection.size, source: i.inspection.source, sha256: i.sha256,
  })));
  const emit = () => opts.onProgress?.(structuredClone(report));
  const task = (id: TaskId) => taskOf(report, id);
  const checkpoint = cancellationCheckpoint(opts.isCancelled);
  emit();

  let stage: Stage | undefined;
  let current: TaskReport | undefined;
  try {
    current = start(task('ingest_bronze'), emit);
    const assignment = assignSources(opts.inputs.map((i) => i.inspection));
    if (assignment.problems.length) throw new TaskFailure(assignment.problems.join('; '));
    if (opts.guardSize) {
      const { deviceMemoryGiB, heldInputBytes } = opts.guardSize;
      const size = assessInputSize(opts.inputs.reduce((sum, i) => sum + i.inspection.size, 0), deviceMemoryGiB, heldInputBytes);
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
          // A large file loads a slice at a time: cancel is honoured between slices too.
          return await loadBronze(engine, source.id, input, checkpoint);
        } catch (e) {
          if (e instanceof CancelledError) throw e;
          throw new TaskFailure(describeCsvError(input.inspection.name, source.label, rawErrorText(e)));
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

    const measures = measuresOf(opts.models);
    for (const [taskId, layers] of Object.entries(LAYER_TASKS) as [TaskId, Layer[]][]) {
      current = start(task(taskId), emit);
      if (layers.includes('kpi') && measures) await engine.exec(measures.sql);
      await buildModels(engine, dag.models.filter((m) => layers.includes(m.layer)), current, emit, checkpoint, opts.modelSliceRows ?? MODEL_SLICE_ROWS);
      await runDataTests(engine, dag.tests.filter((t) => layers.includes(t.layer)), current, report.findings, emit, checkpoint);
      finish(current, emit);
    }

    current = task('export_for_powerbi');
    if (!opts.exporter) {
      skip(current, 'no export destination given');
      emit();
    } else {
      start(current, emit);
      await runExports(engine, opts.exporter, exportFiles(dag.models.map((m) => m.id), opts.exportFormat), report, current, emit, checkpoint);
      finish(current, emit);
    }
    current = undefined;
    for (const t of report.tasks) for (const m of t.models) if (m.rows !== undefined && !m.id.startsWith('tests.')) report.tables[m.id] = m.rows;
    await commitStage(engine, stage);
    report.state = 'success';
  } catch (e) {
    recordFailure(report, current, e);
    if (stage) await abandonStage(engine, stage).catch(() => undefined);
  }
  endReport(report);
  emit();
  return report;
}
