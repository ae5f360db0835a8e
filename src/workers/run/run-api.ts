/** The worker's pipeline calls: inspect files, make sample files, run the pipeline as a job. */
import { DuckDBDataProtocol } from 'duckdb-browser-blocking';
import { INPUT_DIR, type WasmEngine } from '../../duckdb/wasm-engine.ts';
import { checkExportTable } from '../../exports/checks.ts';
import type { SourceInput } from '../../pipeline/ingest.ts';
import { lineMapText } from '../../pipeline/record-lines.ts';
import { runPipeline } from '../../pipeline/runner.ts';
import { deviceMemoryGiB } from '../../pipeline/size-guard.ts';
import type { RunReport } from '../../pipeline/types.ts';
import { sampleFiles } from '../../sample-data/generator.ts';
import { SHIPPED_MODELS } from '../../shared/shipped-models.ts';
import { announceNewResults, announceRunStart, withEngine } from '../engine-access.ts';
import { runJob } from '../jobs.ts';
import { readInput, sha256, type InspectedFile } from './read-inputs.ts';
import { beginRun, endRun, endRunWithError, noteProgress } from './run-record.ts';

export type { InspectedFile } from './read-inputs.ts';

let fileCounter = 0;

/**
 * Registers each file for DuckDB to read through its handle (slices on demand), as UTF-8,
 * under INPUT_DIR: the locked engine reads no other file.
 */
async function registerInputs(e: WasmEngine, files: File[], registered: string[]): Promise<SourceInput[]> {
  const inputs: SourceInput[] = [];
  for (const file of files) {
    const path = `${INPUT_DIR}input_${++fileCounter}.csv`;
    const { inspected, utf8, lines } = await readInput(file);
    e.db.registerFileHandle(path, utf8, DuckDBDataProtocol.BROWSER_FILEREADER, true);
    registered.push(path);
    const input: SourceInput = { inspection: inspected, path, sha256: await sha256(file) };
    if (lines) {
      input.lineMapPath = `${path}.lines.csv`;
      e.db.registerFileText(input.lineMapPath, lineMapText(lines));
      registered.push(input.lineMapPath);
    }
    inputs.push(input);
  }
  return inputs;
}

export const runApi = {
  /** Recognises each file by its header and counts its rows. */
  async inspect(files: File[]): Promise<InspectedFile[]> {
    return Promise.all(files.map(async (f) => (await readInput(f)).inspected));
  },

  /** The built-in sample data as files, made by the same generator as the CLI. */
  async sampleFiles(scale = 1): Promise<File[]> {
    return sampleFiles({ scale }).map((f) => new File([...f.chunks()], f.name, { type: 'text/csv' }));
  },

  /**
   * Runs the whole DAG on these files as job `jobId` (cancel it with `jobs.cancel`);
   * the previous results stay until it succeeds.
   */
  async start(files: File[], jobId: string, onProgress?: (report: RunReport) => void): Promise<RunReport> {
    return runJob({ id: jobId, kind: 'run', label: 'Pipeline run' }, (job) => withEngine(async (e) => {
      // Recorded in the history, with its source files stored, before anything runs.
      const runId = new Date().toISOString();
      await beginRun(runId, files);
      const registered: string[] = [];
      try {
        await announceRunStart(e);
        const inputs = await registerInputs(e, files, registered);
        const report = await runPipeline({
          engine: e,
          runId,
          models: SHIPPED_MODELS,
          inputs,
          onProgress: (r) => {
            onProgress?.(r);
            noteProgress(r);
          },
          isCancelled: () => job.cancelled,
          guardSize: { deviceMemoryGiB: deviceMemoryGiB() },
          // The package is built from the current tables when it is downloaded (../exports/exports-api.ts):
          // nothing big is held in memory, and it works the same after the results are restored.
          exporter: (file, sql) => checkExportTable(sql, file.table),
        });
        if (report.state === 'success') await announceNewResults(report, e);
        await endRun(report);
        return report;
      } catch (err) {
        await endRunWithError(runId, err);
        throw err;
      } finally {
        for (const path of registered) e.db.dropFile(path);
      }
    }));
  },
};
