/**
 * The one owner of the engine worker: starts it once, forwards calls over comlink,
 * and keeps the run state (live progress of the current run, results of the last
 * good run) as runes so every view can read it.
 */
import * as Comlink from 'comlink';
import { untrack } from 'svelte';
import { TASK_IDS, type RunReport } from '../pipeline/types.ts';
import type { EngineApi, InspectedFile, PackageEntry, PreviewRequest, TableInfo } from '../workers/engine.worker.ts';
import { decodeIpc, type DecodedTable } from './arrow.ts';

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

export class Engine {
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

  #pending = $state(0);
  #api!: Comlink.Remote<EngineApi>;
  #broken!: Promise<never>;
  #ready!: Promise<void>;
  #cancelAsked = false;
  #stopWorker: (reason: string) => void = () => {};
  #startHooks: ((engine: Engine) => Promise<void>)[] = [];
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
    this.#api = Comlink.wrap<EngineApi>(worker);
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
    this.#ready = this.#call(this.#api.init()).then(
      async ({ version }) => {
        this.version = version;
        for (const hook of this.#startHooks) await hook(this).catch(() => undefined);
        if (this.status === 'loading') this.status = this.running ? 'busy' : 'ready';
      },
      (e: unknown) => {
        this.status = 'error';
        this.startError ??= `the engine could not start: ${message(e)}`;
      },
    );
  }

  /** Adds work done after every worker start, before runs may begin (e.g. restoring saved results). */
  onStart(hook: (engine: Engine) => Promise<void>): void {
    this.#startHooks.push(hook);
  }

  /**
   * Replaces the worker with a fresh one: after the worker died, or to drop all it holds.
   * Calls in flight fail with `reason` (a run ends as failed); `results` stay as they are
   * until a start hook reloads them.
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

  inspect(files: File[]): Promise<InspectedFile[]> {
    return this.#call(this.#api.inspect(files));
  }

  sampleFiles(scale = 1): Promise<File[]> {
    return this.#call(this.#api.sampleFiles(scale));
  }

  /** Runs the pipeline on these files; progress lands in `report`, results in `results`. */
  async run(files: File[]): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.#cancelAsked = false;
    this.report = placeholderReport();
    let settled = false;
    const onProgress = Comlink.proxy((snapshot: RunReport) => {
      if (settled) return;
      this.report = snapshot;
      // A cancel clicked before the worker started the run would be lost: repeat it.
      if (this.#cancelAsked) void this.#api.cancel();
    });
    try {
      await this.#ready;
      if (this.status === 'error') throw new Error(this.startError ?? 'the engine is not available');
      const final = await this.#call(this.#api.run(files, onProgress));
      settled = true;
      this.report = final;
      if (final.state === 'success') await this.loadResults(final);
    } catch (e) {
      settled = true;
      this.report = failedReport(this.report, `the run stopped unexpectedly: ${message(e)}`);
    } finally {
      this.running = false;
      this.#syncStatus();
    }
  }

  /** Asks the running pipeline to stop; the run then ends as cancelled. */
  cancel(): void {
    if (!this.running) return;
    this.#cancelAsked = true;
    void this.#api.cancel();
  }

  async preview(req: PreviewRequest): Promise<DecodedTable> {
    return decodeIpc(await this.#call(this.#api.preview(req)));
  }

  /** One file of the Power BI package (`fact_sales.csv`, `README.txt`, ...) of the results shown. */
  exportedFile(name: string): Promise<Blob> {
    return this.#call(this.#api.exportedFile(name, { report: this.results?.report }));
  }

  /** Reloads KPIs, tables and exports of the current results (after a run, or after a restore). */
  async loadResults(report: RunReport): Promise<void> {
    const [kpis, tables, exports] = await Promise.all([
      this.#call(this.#api.kpis()),
      this.#call(this.#api.tables()),
      this.#call(this.#api.exportedFiles(report)),
    ]);
    this.results = { report, kpis, tables, exports };
  }

  /**
   * Calls the worker: `engine.call((api) => api.someCall(...))`. Feature state classes
   * use this, so every call is counted for the busy badge and fails if the worker dies.
   */
  call<T>(use: (api: Comlink.Remote<EngineApi>) => Promise<T>): Promise<T> {
    return this.#call(use(this.#api));
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

function message(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.replace(/^Error:\s*/, '').split('\n')[0];
}

/** The app's engine: one worker for the whole page. */
export const engine = new Engine();
