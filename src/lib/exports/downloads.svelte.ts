/**
 * Downloads made by the worker (tables, the Power BI package, the KPI workbook): one
 * at a time, with live progress, a cancel, and errors in words. Each job remembers
 * where it was started, so its status shows beside the button that started it.
 */
import * as Comlink from 'comlink';
import type { EngineApi, ExportProgress } from '../../workers/engine.worker.ts';
import { saveBlob } from '../download.ts';
import { engine } from '../engine.svelte.ts';

export type JobState = 'running' | 'done' | 'cancelled' | 'failed';

export interface DownloadJob {
  /** Where it was started (e.g. `table:gold.fact_sales`, `package`). */
  origin: string;
  /** What is being made, in words. */
  label: string;
  state: JobState;
  progress?: ExportProgress;
  /** The saved file: name and size. */
  saved?: { name: string; bytes: number };
  error?: string;
}

/** What a worker call needs to run as a job: an id to cancel it by, and a progress callback. */
export type JobWork = (
  api: Comlink.Remote<EngineApi>, jobId: string, onProgress: (p: ExportProgress) => void,
) => Promise<{ name: string; blob: Blob }>;

let counter = 0;

export class Downloads {
  /** The current or last job. */
  job = $state<DownloadJob | null>(null);
  #jobId = '';

  get busy(): boolean {
    return this.job?.state === 'running';
  }

  /** The job, if it was started from `origin`. */
  at(origin: string): DownloadJob | null {
    return this.job?.origin === origin ? this.job : null;
  }

  /** Makes a file in the worker and saves it; the last good results are never touched. */
  async start(origin: string, label: string, work: JobWork): Promise<void> {
    if (this.busy) return;
    const jobId = `download-${++counter}`;
    this.#jobId = jobId;
    this.job = { origin, label, state: 'running' };
    const onProgress = Comlink.proxy((progress: ExportProgress) => {
      if (this.#jobId === jobId && this.job?.state === 'running') this.job = { ...this.job, progress };
    });
    try {
      const { name, blob } = await engine.call((api) => work(api, jobId, onProgress));
      saveBlob(blob, name);
      this.job = { origin, label, state: 'done', saved: { name, bytes: blob.size } };
    } catch (e) {
      const text = e instanceof Error ? e.message : String(e);
      this.job = /cancelled/i.test(text)
        ? { origin, label, state: 'cancelled' }
        : { origin, label, state: 'failed', error: text.replace(/^Error:\s*/, '').split('\n')[0].replace(/\.$/, '') };
    }
  }

  /** Stops the running job at its next batch. */
  cancel(): void {
    if (!this.busy) return;
    const jobId = this.#jobId;
    void engine.call((api) => api.cancelExport(jobId));
  }
}

/** The app's downloads. */
export const downloads = new Downloads();
