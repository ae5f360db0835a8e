/**
 * How worker code reaches DuckDB: the one engine of this worker (started once, on
 * first use), the lock that serialises all access to it, and hooks fired when the
 * results change.
 */
import { Mutex } from '../shared/mutex.ts';
import type { RunReport } from '../pipeline/types.ts';
import type { WasmEngine } from '../duckdb/wasm-engine.ts';
import { openBrowserEngine } from '../duckdb/wasm-browser.ts';

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

type ResultsListener = (report: RunReport, e: WasmEngine) => Promise<void> | void;
const listeners: ResultsListener[] = [];

/** Called (inside the lock) after a run's results became the current ones. */
export function onNewResults(listener: ResultsListener): void {
  listeners.push(listener);
}

export async function announceNewResults(report: RunReport, e: WasmEngine): Promise<void> {
  for (const listener of listeners) await listener(report, e);
}
