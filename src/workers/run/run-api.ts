/** The worker's pipeline calls: inspect files, make sample files, run the pipeline as a job. */
import { DuckDBDataProtocol } from 'duckdb-browser-blocking';
import { INPUT_DIR, type WasmEngine } from '../../duckdb/wasm-engine.ts';
import { checkExportTable } from '../../exports/checks.ts';
import type { SourceInput } from '../../pipeline/ingest.ts';
import { lineMapText } from '../../pipeline/record-lines.ts';
import { registeredSlices, sliceRanges } from '../../pipeline/slices.ts';
import { runPipeline } from '../../pipeline/runner.ts';
import { deviceMemoryGiB } from '../../pipeline/size-guard.ts';
import type { RunReport } from '../../pipeline/types.ts';
import { sampleFiles } from '../../sample-data/generator.ts';
import { SHIPPED_MODELS } from '../../shared/shipped-models.ts';
import type { FinishingProgress } from '../../shared/finishing.ts';
import { announceNewResults, announceRunStart, withEngine } from '../engine-access.ts';
import { runJob } from '../jobs.ts';
import { inspectUpload, keptReadId, sha256, uploadFor, type InspectedUpload } from './read-inputs.ts';
import { beginRun, endRun, endRunWithError, noteProgress } from './run-record.ts';

export type { InspectedFile, InspectedUpload } from './read-inputs.ts';

/** One source of a run: a chosen file, or one sheet or entry of it (`part`, as inspection named it). */
export interface RunInput {
  file: File;
  part?: string;
  /** The inspection's read of this file (`InspectedUpload.readId`): reused when it is still kept. */
  readId?: string;
}

let fileCounter = 0;

/**
 * Registers each input for DuckDB to read through its handle (slices on demand), as UTF-8,
 * under INPUT_DIR: the locked engine reads no other file. A sheet or archive entry is
 * registered as the CSV it was converted to.
 */
async function registerInputs(e: WasmEngine, runInputs: RunInput[], registered: string[]): Promise<SourceInput[]> {
  const inputs: SourceInput[] = [];
  const checksums = new Map<File, Promise<string | undefined>>();
  for (const { file, part, readId } of runInputs) {
    const path = `${INPUT_DIR}input_${++fileCounter}.csv`;
    const { parts } = await uploadFor(file, readId);
    const read = parts.find((p) => p.inspected.part === part);
    if (!read) throw new Error(`${file.name}${part ? ` › ${part}` : ''} is no longer there; choose the file again`);
    const { inspected, utf8, lines, cuts } = read;
    e.db.registerFileHandle(path, utf8, DuckDBDataProtocol.BROWSER_FILEREADER, true);
    registered.push(path);
    if (!checksums.has(file)) checksums.set(file, sha256(file, readId));
    const input: SourceInput = { inspection: inspected, path, sha256: await checksums.get(file) };
    // A large file's slices are slices of its Blob, read on demand like the whole; each slice
    // registers its own part of the line map, so the whole file's map is made only when unsliced.
    if (cuts.length) {
      input.slices = registeredSlices(e.db, path, sliceRanges(cuts, utf8.size, inspected.rows), lines, (name, range) => {
        e.db.registerFileHandle(name, utf8.slice(range.offset, range.end), DuckDBDataProtocol.BROWSER_FILEREADER, true);
      });
    } else if (lines) {
      input.lineMapPath = `${path}.lines.csv`;
      e.db.registerFileText(input.lineMapPath, lineMapText(lines));
      registered.push(input.lineMapPath);
    }
    inputs.push(input);
  }
  return inputs;
}

export const runApi = {
  /** Recognises each file (each sheet or archive entry) by its header and counts its rows. */
  async inspect(files: File[]): Promise<InspectedUpload[]> {
    const out: InspectedUpload[] = [];
    // One at a time: a workbook or archive is converted in full, and memory is the limit.
    for (const f of files) {
      const { readId, upload } = inspectUpload(f);
      const { parts, notes } = await upload;
      out.push({ parts: parts.map((p) => p.inspected), notes, readId });
    }
    return out;
  },

  /** The built-in sample data as files, made by the same generator as the CLI. */
  async sampleFiles(scale = 1): Promise<File[]> {
    return sampleFiles({ scale }).map((f) => new File([...f.chunks()], f.name, { type: 'text/csv' }));
  },

  /**
   * Runs the whole DAG on these files as job `jobId` (cancel it with `jobs.cancel`);
   * the previous results stay until it succeeds (`heldInputBytes`: their input size, for the size guard).
   * After the last task, `onFinishing` hears how far the dashboards' build and the save are.
   */
  async start(
    chosen: RunInput[], jobId: string, onProgress?: (report: RunReport) => void, heldInputBytes = 0,
    onFinishing?: (progress: FinishingProgress) => void,
  ): Promise<RunReport> {
    return runJob({ id: jobId, kind: 'run', label: 'Pipeline run' }, (job) => withEngine(async (e) => {
      // Recorded in the history, with its source files stored, before anything runs.
      const runId = new Date().toISOString();
      // One read per file, its checksum taken in the same pass, for the history and the run alike.
      const readIds = new Map<File, string>();
      for (const i of chosen) if (!readIds.has(i.file)) readIds.set(i.file, keptReadId(i.file, i.readId));
      const runInputs = chosen.map((i) => ({ ...i, readId: readIds.get(i.file) }));
      await beginRun(runId, [...readIds.keys()], (file) => sha256(file, readIds.get(file)));
      const registered: string[] = [];
      try {
        await announceRunStart(e);
        const inputs = await registerInputs(e, runInputs, registered);
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
          guardSize: { deviceMemoryGiB: deviceMemoryGiB(), heldInputBytes },
          // The package is built from the current tables when it is downloaded (../exports/exports-api.ts):
          // nothing big is held in memory, and it works the same after the results are restored.
          exporter: (file, sql) => checkExportTable(sql, file.table),
        });
        if (report.state === 'success') await announceNewResults(report, e, onFinishing);
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
