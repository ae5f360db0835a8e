/**
 * How worker code reaches DuckDB: the one engine of this worker (started once, on
 * first use), the lock that serialises all access to it (and a way in for work that
 * only uses the engine while nothing else wants it), and hooks fired when a run starts
 * and when the results change.
 */
import { Mutex } from '../shared/mutex.ts';
import { nextTask } from '../shared/next-task.ts';
import type { RunReport } from '../pipeline/types.ts';
import type { WasmEngine } from '../duckdb/wasm-engine.ts';
import type { KvStore } from '../storage/kv.ts';
import type { ResultsManifest } from '../storage/schema.ts';
import type { FinishingPart, FinishingProgress } from '../shared/finishing.ts';
import { openBrowserEngine } from '../duckdb/wasm-browser.ts';
import { notifyPage } from './page-callback.ts';

let enginePromise: Promise<WasmEngine> | undefined;

/** This worker's engine, started on first use. */
export function startEngine(): Promise<WasmEngine> {
  return (enginePromise ??= openBrowserEngine());
}

const lock = new Mutex();

/**
 * Runs `work` with exclusive use of the engine. A run yields between statements;
 * without the lock another call could read its half-built staging catalog.
 */
export function withEngine<T>(work: (e: WasmEngine) => Promise<T>): Promise<T> {
  return lock.run(async () => work(await startEngine()));
}

/**
 * Runs `work` with the engine `e` (this worker's) once nothing else wants it: the lock is free and the
 * messages that arrived meanwhile were handled (a request among them takes the lock
 * first). `work` must be short and synchronous: a request that arrives while it runs
 * waits for it. Undefined, without running `work`, once `wanted()` is false.
 */
export async function withIdleEngine<T>(e: WasmEngine, work: (e: WasmEngine) => T, wanted: () => boolean): Promise<T | undefined> {
  for (;;) {
    await nextTask();
    if (!wanted()) return undefined;
    if (lock.idle) break;
    await lock.drained();
  }
  // Nothing can come between the check above and this: the lock is taken in the same task.
  return lock.run(async () => (wanted() ? work(e) : undefined));
}

/** How a listener of new results says how far it is (a run's status shows it). */
export type FinishingReporter = (part: FinishingPart, done: number, total: number) => void;

type ResultsListener = (report: RunReport, e: WasmEngine, progress: FinishingReporter) => Promise<void> | void;
const listeners: ResultsListener[] = [];

/**
 * Called (inside the lock) after a run's results became the current ones. The listeners
 * run side by side: the save waits on IndexedDB for most of its time, and the dashboards'
 * aggregates are built meanwhile, a statement at a time. A listener that uses the engine
 * across an await must therefore keep to statements that finish within one call, or to a
 * connection of its own (as the save's stream does).
 */
export function onNewResults(listener: ResultsListener): void {
  listeners.push(listener);
}

export async function announceNewResults(report: RunReport, e: WasmEngine, onProgress?: (progress: FinishingProgress) => void): Promise<void> {
  const progress: FinishingProgress = {};
  const tellPage = notifyPage(onProgress);
  const reporter: FinishingReporter = (part, done, total) => {
    progress[part] = { done, total };
    tellPage({ ...progress });
  };
  // Every listener ends before the lock is let go, even when one of them fails.
  const outcomes = await Promise.allSettled(listeners.map(async (listener) => listener(report, e, reporter)));
  const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failed) throw failed.reason;
}

type RunStartListener = (e: WasmEngine) => Promise<void> | void;
const runStartListeners: RunStartListener[] = [];

/** Called (inside the lock) before a run or re-run builds anything: what can be rebuilt may free its memory for the run. */
export function onRunStart(listener: RunStartListener): void {
  runStartListeners.push(listener);
}

export async function announceRunStart(e: WasmEngine): Promise<void> {
  for (const listener of runStartListeners) await listener(e);
}

/** The engine's results are the store's current ones: just saved (`saved`), or restored from it. */
type StoredListener = (manifest: ResultsManifest, kv: KvStore, e: WasmEngine, saved: boolean) => Promise<void> | void;
const storedListeners: StoredListener[] = [];

/** Called (inside the lock) when the results in the engine are the store's current generation. */
export function onResultsStored(listener: StoredListener): void {
  storedListeners.push(listener);
}

export async function announceResultsStored(manifest: ResultsManifest, kv: KvStore, e: WasmEngine, saved: boolean): Promise<void> {
  // Keeping more of the results is a bonus: a listener's failure changes nothing saved.
  for (const listener of storedListeners) await Promise.resolve(listener(manifest, kv, e, saved)).catch(() => undefined);
}
