/**
 * Keeps the page's results in step with the store of record: after every worker
 * start (the first, and each restart after the worker died) the last good run is
 * restored before runs may begin; after each run it learns whether the results were
 * saved. Also watches the worker, and restarts it if it dies.
 */
import * as Comlink from 'comlink';
import { untrack } from 'svelte';
import type { RunReport } from '../../pipeline/types.ts';
import { heldLocks, lifeLockName, locksAvailable, whenFree } from '../../storage/locks.ts';
import { CUT_OFF_MESSAGE, getRun, listRuns, recordRunReport } from '../../storage/run-log.ts';
import type { RestoreOutcome } from '../../workers/engine.worker.ts';
import { embedSettings } from '../embed/embed-mode.ts';
import { engineClient, type EngineClient } from '../engine-client.svelte.ts';
import { recordStore } from '../../storage/app-store.ts';
import { TabOwnership } from './tab-ownership.svelte.ts';
import { errorText } from '../../shared/error-text.ts';

const store = recordStore();

// A worker dies with its page: no restart while the page is going away.
let leaving = false;
addEventListener('pagehide', () => (leaving = true));
addEventListener('pageshow', () => (leaving = false));

export class Persistence {
  /** False when the page asked not to keep anything (an embed with `persist=0`). */
  readonly enabled: boolean;
  readonly tabs: TabOwnership;
  /** How the last restore went. */
  restore = $state.raw<RestoreOutcome | null>(null);
  /** While saved results are being loaded into the engine: rows loaded, of all (null otherwise). */
  restoring = $state.raw<{ done: number; total: number } | null>(null);
  /** Why the last good run's results were not saved, in words. */
  saveProblem = $state<string>();
  /** Bumped whenever the store changed (a run ended, data was deleted): views reload. */
  changes = $state(0);

  #client: EngineClient;
  #persistAsked = false;

  constructor(client: EngineClient, enabled: boolean) {
    this.#client = client;
    this.enabled = enabled;
    this.tabs = new TabOwnership(enabled);
    this.tabs.onchange = (owner) => void this.#ownerChanged(owner);
    // The saved tables are read while the wasm compiles; with saving off the store is never opened.
    if (enabled) void client.call((api) => api.storage.readAhead()).catch(() => undefined);
    client.onStart(async () => {
      performance.mark('workbench:engine-started');
      await this.#watchWorker();
      if (this.enabled) await this.#restore(false);
    });
  }

  /** Called after each run: was it saved? Asks the browser to keep the data after the first good save. */
  async afterRun(): Promise<void> {
    if (!this.enabled) return;
    await this.#recordDeadRun();
    const save = await this.#client.call((api) => api.storage.lastSave()).catch(() => undefined);
    this.saveProblem = save && !save.saved ? save.message : undefined;
    if (save) performance.mark('workbench:results-saved', { detail: { saved: save.saved, ms: save.ms } });
    untrack(() => this.changes++);
    if (save?.saved && !this.#persistAsked && navigator.storage?.persist) {
      this.#persistAsked = true;
      // Without this, the browser may evict the data when the disk runs low.
      await navigator.storage.persist().catch(() => false);
    }
  }

  /**
   * A run whose worker died could not record its end; the page saw its last progress,
   * which is more exact than the store's (progress is written between statements).
   */
  async #recordDeadRun(): Promise<void> {
    const report = this.#client.report;
    if (!store || !this.tabs.owner || !report || report.state === 'running') return;
    const stored = await getRun(store, report.runId).catch(() => undefined);
    if (stored && (stored.report.state === 'running' || stored.report.error === CUT_OFF_MESSAGE)) {
      await recordRunReport(store, report).catch(() => undefined);
    }
  }

  /**
   * Why the latest run's results are not on screen although it succeeded (not saved, or
   * not restored), in words; undefined when they are. The run badge and the pages say it.
   */
  get resultsMissing(): string | undefined {
    const { report, results, running } = this.#client;
    if (running || report?.state !== 'success' || results?.report.runId === report.runId) return undefined;
    if (this.saveProblem) return this.saveProblem;
    return this.restore?.state === 'failed' ? `The saved results could not be loaded: ${this.restore.message}` : 'The results of this run are not kept in this browser.';
  }

  /** Takes the store over from another tab and shows what it holds now. */
  async takeOver(): Promise<void> {
    await this.tabs.takeOver();
  }

  /** Loads the saved results into the worker, then into the page. */
  async #restore(replace: boolean): Promise<void> {
    await this.tabs.ready;
    const client = this.#client;
    // Progress comes on a port of its own: a report that arrives after the outcome must not bring it back.
    let settled = false;
    const onProgress = Comlink.proxy((done: number, total: number) => {
      if (!settled) this.restoring = { done, total };
    });
    const outcome = await client.call((api) => api.storage.restore({ writable: this.tabs.owner, replace }, onProgress)).catch(
      (e: unknown): RestoreOutcome => ({ state: 'failed', message: `the saved results could not be loaded: ${errorText(e)}` }),
    );
    settled = true;
    this.restoring = null;
    this.restore = outcome;
    if (outcome.state === 'restored' && outcome.report) {
      await client.loadResults(outcome.report);
      performance.mark('workbench:results-restored', { detail: { tablesMs: outcome.ms } });
    } else if (outcome.state !== 'kept' && !replace && client.results) {
      // A fresh worker without saved results holds nothing: say so rather than show stale figures.
      client.results = null;
    }
    // The Run page shows the latest run again, as before the reload (good or not).
    if (!client.report && !client.running) client.report = (await this.#latestRun()) ?? null;
    // A good run whose results were not saved: say why again, as right after it ran.
    const latest = client.report;
    if (store && latest?.state === 'success' && latest.runId !== client.results?.report.runId && !this.saveProblem) {
      const record = await getRun(store, latest.runId).catch(() => undefined);
      if (record?.resultsSaved === false) this.saveProblem = record.resultsNote ?? 'The results of the latest run could not be saved.';
    }
    untrack(() => this.changes++);
  }

  async #latestRun(): Promise<RunReport | undefined> {
    if (!store) return undefined;
    const latest = (await listRuns(store).catch(() => [])).find((r) => r.state !== 'running');
    const shown = this.#client.results?.report;
    if (!latest || latest.runId === shown?.runId) return shown;
    return (await getRun(store, latest.runId).catch(() => undefined))?.report;
  }

  async #ownerChanged(owner: boolean): Promise<void> {
    if (!owner) {
      await this.#client.call((api) => api.storage.setWritable(false)).catch(() => undefined);
      return;
    }
    // The other tab may have saved newer results: show what the store holds.
    await this.#restore(true);
  }

  /** The worker holds a lock for its life; when the lock comes free, the worker is gone. */
  async #watchWorker(): Promise<void> {
    if (!locksAvailable()) return;
    const client = this.#client;
    const name = lifeLockName(`${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`);
    await client.call((api) => api.storage.holdLifeLock(name));
    if (!(await heldLocks()).has(name)) return;
    const starts = client.starts;
    void whenFree(name).then(() => {
      const kept = this.enabled ? 'with the last saved results' : 'empty, as nothing is kept in this browser';
      if (client.starts === starts && !leaving) client.restart(`the engine's worker stopped; it was started again ${kept}`);
    });
  }
}

/** The app's persistence, on the app's engine (off in an embed with `persist=0`). */
export const persistence = new Persistence(engineClient, embedSettings.persist);
