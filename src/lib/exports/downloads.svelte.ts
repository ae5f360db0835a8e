/**
 * Downloads made by the worker (tables, the Power BI package, the KPI workbook): one
 * at a time, with live progress, a cancel, and errors in words. Each download is a job
 * of the engine client and remembers where it was started, so its status shows beside
 * the button that started it.
 */
import * as Comlink from 'comlink';
import type { ExportFormat } from '../../pipeline/exports.ts';
import { errorText } from '../../shared/error-text.ts';
import type { ExportProgress, TableExportRequest } from '../../workers/engine.worker.ts';
import { saveBlob } from '../download.ts';
import { engineClient, type RemoteApi } from '../engine-client.svelte.ts';
import { csvMode } from './csv-mode.svelte.ts';

export type DownloadState = 'running' | 'done' | 'cancelled' | 'failed';

export interface DownloadJob {
  /** Where it was started (e.g. `table:gold.fact_sales`, `package`). */
  origin: string;
  /** What is being made, in words. */
  label: string;
  state: DownloadState;
  progress?: ExportProgress;
  /** The saved file: name and size. */
  saved?: { name: string; bytes: number };
  error?: string;
}

type Work = (api: RemoteApi, jobId: string, onProgress: (p: ExportProgress) => void) => Promise<{ name: string; blob: Blob }>;

const formatName = (format: ExportFormat) => (format === 'csv' ? (csvMode.raw ? 'raw CSV' : 'CSV') : 'Parquet');

export class Downloads {
  /** The current or last download. */
  job = $state<DownloadJob | null>(null);
  #jobId = '';

  get busy(): boolean {
    return this.job?.state === 'running';
  }

  /** The download, if it was started from `origin`. */
  at(origin: string): DownloadJob | null {
    return this.job?.origin === origin ? this.job : null;
  }

  /** A table of the results (all its rows, filtered and sorted as shown); CSV as `csvMode` says. */
  table(origin: string, request: Omit<TableExportRequest, 'jobId' | 'csvRaw'>): Promise<void> {
    const csvRaw = csvMode.raw;
    return this.#start(origin, `${request.table} as ${formatName(request.format)}`, (api, jobId, onProgress) =>
      api.exports.table({ ...request, csvRaw, jobId }, onProgress));
  }

  /** The whole Power BI package as one ZIP. */
  package(format: ExportFormat): Promise<void> {
    const report = this.#report();
    const csvRaw = csvMode.raw;
    return this.#start('package', `the Power BI package (${formatName(format)})`, (api, jobId, onProgress) =>
      api.exports.packageZip({ format, report, jobId, csvRaw }, onProgress));
  }

  /** One file of the package; `format` is the one README.txt and run.json describe. */
  packageFile(name: string, format: ExportFormat): Promise<void> {
    const report = this.#report();
    const csvRaw = csvMode.raw;
    return this.#start('package', name, async (api, jobId, onProgress) => ({
      name,
      blob: await api.exports.packageFile(name, { report, jobId, format, csvRaw }, onProgress),
    }));
  }

  /** The KPI tables as one Excel workbook. */
  kpiWorkbook(): Promise<void> {
    return this.#start('package', 'the KPI workbook', (api, jobId) => api.exports.kpiWorkbook(jobId));
  }

  /** Stops the running download at its next batch. */
  cancel(): void {
    if (this.busy) engineClient.cancel(this.#jobId);
  }

  /** The report of the results shown: run.json and README.txt describe it. */
  #report() {
    const results = engineClient.results;
    return results ? $state.snapshot(results.report) : undefined;
  }

  /** Makes a file in the worker and saves it; the last good results are never touched. */
  async #start(origin: string, label: string, work: Work): Promise<void> {
    if (this.busy) return;
    this.job = { origin, label, state: 'running' };
    try {
      const { name, blob } = await engineClient.job('export', label, (api, jobId) => {
        this.#jobId = jobId;
        const onProgress = Comlink.proxy((progress: ExportProgress) => {
          if (this.#jobId === jobId && this.job?.state === 'running') this.job = { ...this.job, progress };
        });
        return work(api, jobId, onProgress);
      });
      saveBlob(blob, name);
      this.job = { origin, label, state: 'done', saved: { name, bytes: blob.size } };
    } catch (e) {
      const text = errorText(e);
      this.job = /cancelled/i.test(text)
        ? { origin, label, state: 'cancelled' }
        : { origin, label, state: 'failed', error: text.replace(/\.$/, '') };
    }
  }
}

/** The app's downloads. */
export const downloads = new Downloads();
