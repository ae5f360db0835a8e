/**
 * The page's one client of the engine worker: starts it (and restarts it when it
 * dies), forwards calls over comlink, and keeps as runes what every view reads: the
 * run state (live progress of the current run, results of the last good run) and
 * the jobs under way (runs, re-runs, downloads, console queries), each cancellable
 * by its id. Feature state classes call the worker through here; components never do.
 */
import * as Comlink from 'comlink';
import { untrack } from 'svelte';
import { TASK_IDS, type RunReport } from '../pipeline/types.ts';
import type { EngineApi, InspectedUpload, JobInfo, JobKind, PackageEntry, PreviewRequest, RunInput, TableInfo } from '../workers/engine.worker.ts';
import { decodeIpc, type DecodedTable } from './arrow.ts';
import { errorText } from '../shared/error-text.ts';
import type { FinishingProgress } from '../shared/finishing.ts';
import { resultsInputBytes } from '../pipeline/size-guard.ts';

export type EngineStatus = 'loading' | 'ready' | 'busy' | 'error';
export type RunStatus = 'idle' | 'running' | 'success' | 'failed';

/** What the last good run produced. */
export interface Results {
  report: RunReport;
  kpis: Record<string, number> | null;
  tables: TableInfo[];
  /** The files of the Power BI package, built from the tables when downloaded. */
  exports: PackageEntry[];
}

/**
 * The worker's API as the page sees it: one namespace per concern, every call returns
 * a promise. (Comlink reaches nested methods at run time; its own type would call the
 * namespaces promises, so each one is mapped here.)
 */
export type RemoteApi = { [K in keyof EngineApi]: Comlink.Remote<EngineApi[K]> };

let jobCounter = 0;

export class EngineClient {
  /** Whether the worker is starting, idle, working, or could not start. */
  status = $state<EngineStatus>('loading');
  version = $state('');
  /** Why the engine could not start, in words. */
  startError = $state<string>();
  /** The current or latest run, updated with every progress snapshot. */
  report = $state.raw<RunReport | null>(null);
  /** Results of the last successful run; kept when a later run fails or is cancelled. */
  results = $state.raw<Results | null>(null);
  /** True while a run is under way (from the click until the final report). */
  running = $state(false);
  /** After the run's last task, how far the dashboards' build and the save are; null otherwise. */
  finishing = $state.raw<FinishingProgress | null>(null);
  /** Every long call under way, oldest first: the update prompt waits for them, and says which. */
  jobs = $state.raw<JobInfo[]>([]);
  /** The engine's wasm heap (its peak so far: it never shrinks) and the most it can be; null until read. */
  memory = $state.raw<{ heapBytes: number; limitBytes: number } | null>(null);
  /** Why the results shown before are gone (a restarted engine that does not hold them), in words. */
  resultsLost = $state<string>();

  #pending = $state(0);
  #api!: RemoteApi;
  #broken!: Promise<never>;
  #ready!: Promise<void>;
  #runJobId: string | undefined;
  #stopWorker: (reason: string) => void = () => {};
  #startHooks: ((client: EngineClient) => Promise<void>)[] = [];
  /** The worker start whose engine holds the results shown. */
  #resultsStart = 0;
  /** How many workers were started: 1, plus one per restart. */
  starts = 0;

  constructor() {
    this.#start();
  }

  /** Starts a worker; it counts as ready once the start hooks (e.g. a restore) are done. */
  #start(): void {
    // Vite bundles the worker from this exact `new URL(..., import.meta.url)` form.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    const worker = new Worker(new URL('../workers/engine.worker.ts', import.meta.url), { type: 'module' });
    this.starts++;
    this.#api = Comlink.wrap<EngineApi>(worker) as unknown as RemoteApi;
    let fail: (e: Error) => void = () => {};
    this.#broken = new Promise<never>((_, reject) => (fail = reject));
    this.#broken.catch(() => undefined);
    this.#stopWorker = (reason) => {
      worker.terminate();
      fail(new Error(reason));
    };
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      this.status = 'error';
      this.startError = `the engine stopped: ${event.message || 'the worker could not be loaded'}`;
      fail(new Error(this.startError));
    });
    this.#ready = this.#call(this.#api.engine.start()).then(
      async ({ version }) => {
        this.version = version;
        for (const hook of this.#startHooks) await hook(this).catch(() => undefined);
        this.#dropStaleResults();
        await this.#readMemory();
        if (this.status === 'loading') this.status = this.running ? 'busy' : 'ready';
      },
      (e: unknown) => {
        this.status = 'error';
        this.startError ??= `the engine could not start: ${errorText(e)}`;
        this.#dropStaleResults();
      },
    );
  }

  /**
   * The page shows what the engine holds: a fresh worker holds only what a start hook
   * loaded into it (the saved results), so results of an earlier worker are no longer shown.
   */
  #dropStaleResults(): void {
    const stale = this.results !== null && this.#resultsStart !== this.starts;
    if (!stale) return;
    this.results = null;
    this.resultsLost = 'The engine stopped and was started again, and the results shown before were not kept in this browser, '
      + 'so they are no longer shown. Run the pipeline again to see them.';
  }

  /** Resolves once the current worker has started and its start hooks (the restore) are done, or could not start. */
  whenReady(): Promise<void> {
    return this.#ready;
  }

  /** Adds work done after every worker start, before runs may begin (e.g. restoring saved results). */
  onStart(hook: (client: EngineClient) => Promise<void>): void {
    this.#startHooks.push(hook);
  }

  /**
   * Replaces the worker with a fresh one: after the worker died, or to drop all it holds.
   * Calls in flight fail with `reason` (a run ends as failed); `results` stay as they are
   * until a start hook reloads them, and are dropped if none does.
   */
  restart(reason = 'the engine was restarted'): void {
    this.#stopWorker(reason);
    this.status = 'loading';
    this.startError = undefined;
    this.#start();
  }

  /** The state shown by the shell's run badge. */
  get runStatus(): RunStatus {
    if (this.running) return 'running';
    if (!this.report) return 'idle';
    return this.report.state === 'success' ? 'success' : this.report.state === 'running' ? 'running' : 'failed';
  }

  inspect(files: File[]): Promise<InspectedUpload[]> {
    return this.#call(this.#api.run.inspect(files));
  }

  sampleFiles(scale = 1): Promise<File[]> {
    return this.#call(this.#api.run.sampleFiles(scale));
  }

  /** Runs the pipeline on these files; progress lands in `report`, results in `results`. */
  async run(inputs: RunInput[]): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.report = placeholderReport();
    let settled = false;
    const onProgress = Comlink.proxy((snapshot: RunReport) => {
      if (!settled) this.report = snapshot;
    });
    const onFinishing = Comlink.proxy((progress: FinishingProgress) => {
      if (!settled) this.finishing = progress;
    });
    try {
      const final = await this.job('run', 'Pipeline run', async (api, jobId) => {
        this.#runJobId = jobId;
        await this.#ready;
        if (this.status === 'error') throw new Error(this.startError ?? 'the engine is not available');
        return api.run.start(inputs, jobId, onProgress, resultsInputBytes(this.results?.report), onFinishing);
      });
      settled = true;
      this.finishing = null;
      this.report = final;
      if (final.state === 'success') await this.loadResults(final);
    } catch (e) {
      settled = true;
      this.finishing = null;
      this.report = failedReport(this.report, `the run stopped unexpectedly: ${errorText(e)}`);
    } finally {
      // Read before the run counts as over, so whoever sees it end sees the memory it took.
      await this.#readMemory();
      this.running = false;
      this.#syncStatus();
    }
  }

  /** Asks the running pipeline to stop; the run then ends as cancelled. */
  cancelRun(): void {
    if (this.running && this.#runJobId) this.cancel(this.#runJobId);
  }

  /** Asks a job to stop at its next statement or batch (a cancel sent before the job reached the worker counts too). */
  cancel(jobId: string): void {
    void this.#api.jobs.cancel(jobId).catch(() => undefined);
  }

  async preview(req: PreviewRequest): Promise<DecodedTable> {
    return decodeIpc(await this.#call(this.#api.results.preview(req)));
  }

  /** One file of the Power BI package (`fact_sales.csv`, `README.txt`, ...) of the results shown. */
  packageFile(name: string): Promise<Blob> {
    return this.#call(this.#api.exports.packageFile(name, { report: this.results?.report }));
  }

  /** Reloads KPIs, tables and exports of the current results (after a run, or after a restore). */
  async loadResults(report: RunReport): Promise<void> {
    const [kpis, tables, exports] = await Promise.all([
      this.#call(this.#api.results.kpis()),
      this.#call(this.#api.results.tables()),
      this.#call(this.#api.exports.packageFiles(report)),
    ]);
    this.results = { report, kpis, tables, exports };
    this.#resultsStart = this.starts;
    this.resultsLost = undefined;
  }

  /**
   * A short call: `client.call((api) => api.dashboards.page(req))`. Feature state classes
   * use this, so every call is counted for the busy badge and fails if the worker dies.
   */
  call<T>(use: (api: RemoteApi) => Promise<T>): Promise<T> {
    return this.#call(use(this.#api));
  }

  /**
   * A long call, as a job: `work` gets the job's id to pass to the worker, so that
   * `cancel(id)` reaches it. The job is listed in `jobs` until it settles.
   */
  async job<T>(kind: JobKind, label: string, work: (api: RemoteApi, jobId: string) => Promise<T>, jobId = newJobId(kind)): Promise<T> {
    // Untracked: jobs are often started from effects, which must not depend on this list.
    untrack(() => (this.jobs = [...this.jobs, { id: jobId, kind, label, startedAt: Date.now() }]));
    try {
      return await this.#call(work(this.#api, jobId));
    } finally {
      untrack(() => (this.jobs = this.jobs.filter((j) => j.id !== jobId)));
    }
  }

  /** Reads the engine's memory for the badge; a worker that stopped leaves the last figure. */
  async #readMemory(): Promise<void> {
    try {
      this.memory = await this.#call(this.#api.engine.memory());
    } catch {
      // The engine stopped: its error is shown by the badge already.
    }
  }

  /** Every call: counted for the busy badge, and failed if the worker dies. */
  async #call<T>(promise: Promise<T>): Promise<T> {
    this.#count(+1);
    try {
      return await Promise.race([promise, this.#broken]);
    } finally {
      this.#count(-1);
    }
  }

  /** Untracked: calls are often made from effects, which must not depend on this counter. */
  #count(delta: number) {
    untrack(() => {
      this.#pending += delta;
      this.#syncStatus();
    });
  }

  #syncStatus() {
    untrack(() => {
      if (this.status === 'error' || this.status === 'loading') return;
      this.status = this.#pending > 0 || this.running ? 'busy' : 'ready';
    });
  }
}

function placeholderReport(): RunReport {
  return {
    runId: 'starting',
    state: 'running',
    startedAt: Date.now(),
    inputs: [],
    tasks: TASK_IDS.map((id) => ({ id, state: 'queued', models: [], log: [] })),
    findings: [],
    tables: {},
    exports: [],
  };
}

function failedReport(last: RunReport | null, error: string): RunReport {
  const base = last ?? placeholderReport();
  const endedAt = Date.now();
  return {
    ...base,
    state: 'failed',
    error,
    endedAt,
    durationMs: endedAt - base.startedAt,
    tasks: base.tasks.map((t) => {
      if (t.state === 'running') return { ...t, state: 'failed', error };
      return t.state === 'queued' ? { ...t, state: 'upstream_failed' } : t;
    }),
  };
}


/** A job id unique in this page, across worker restarts. */
export function newJobId(kind: JobKind): string {
  return `${kind}-${Date.now().toString(36)}-${++jobCounter}`;
}

/** The app's engine client: one worker for the whole page. */
export const engineClient = new EngineClient();
