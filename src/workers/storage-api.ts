/**
 * The worker's side of the store of record: restores the last good run into the
 * engine, records every run in the history (with its source files, before it starts),
 * and saves the results of each good run before the run reports success.
 */
import type { RunReport } from '../pipeline/types.ts';
import type { WasmEngine } from '../pipeline/wasm-engine.ts';
import { hasIndexedDb, openIdbStore } from '../storage/idb-store.ts';
import { inputsToStore } from '../storage/inputs.ts';
import type { KvStore } from '../storage/kv.ts';
import { heldLocks, holdLock, locksAvailable, runLockName, type HeldLock } from '../storage/locks.ts';
import { migrate, NewerSchemaError, storedVersion } from '../storage/migrations.ts';
import { removeOrphanTables, saveResults } from '../storage/results.ts';
import { openSavedResults, restoreResults, type SavedResultsReader } from '../storage/results-restore.ts';
import { cutOffReport, getRun, markCutOffRuns, recordRunEnd, recordRunReport, recordRunStart, startingReport } from '../storage/run-log.ts';
import { saveFailureNote, storageErrorText } from '../storage/save-errors.ts';
import { SCHEMA_VERSION } from '../storage/schema.ts';
import { fullStorageAdvice } from '../storage/usage.ts';
import { onNewResults, withEngine } from './context.ts';
import { sha256 } from './inputs.ts';
import { SHIPPED_MODELS } from './models.ts';

/** Whether the last good run's results were saved, and if not why (in words). */
export interface SaveOutcome {
  runId: string;
  saved: boolean;
  message?: string;
  /** Time spent saving the tables. */
  ms?: number;
}

export interface RestoreOutcome {
  /** restored: loaded from the store; none: nothing saved; kept: the engine already had results; off: storage unusable. */
  state: 'restored' | 'none' | 'kept' | 'failed' | 'off';
  report?: RunReport;
  savedAt?: number;
  /** Time spent loading the tables into the engine. */
  ms?: number;
  /** What went wrong or why storage is off, in words. */
  message?: string;
}

const store: KvStore | null = hasIndexedDb() ? openIdbStore() : null;
let off: string | undefined = store ? undefined
  : 'this browser does not let the workbench keep data (IndexedDB is not available, as in some private windows): results last as long as this tab.';
/** Only the tab that owns the store writes to it (the others are read-only). */
let writable = false;
let lastSave: SaveOutcome | undefined;
const runLocks = new Map<string, HeldLock | null>();

/** The saved results being read while the engine starts (see `readAhead`). */
let readAhead: Promise<SavedResultsReader | undefined> | undefined;

/** Any thrown value in words (never "null"). */
const message = storageErrorText;

const measuresSql = () => SHIPPED_MODELS.find((m) => m.path.endsWith('models/measures.sql'))?.sql ?? '';

async function hasResults(e: WasmEngine): Promise<boolean> {
  const rows = await e.query(`select 1 from duckdb_tables() where database_name = current_database() and schema_name = 'kpi' limit 1`);
  return rows.length > 0;
}

/** Upgrades the store, marks runs that were cut off, drops half-saved tables (owner only). */
async function tidy(kv: KvStore): Promise<void> {
  await migrate(kv);
  const held = await heldLocks();
  await markCutOffRuns(kv, (runId) => runLocks.has(runId) || held.has(runLockName(runId)));
  await removeOrphanTables(kv);
}

export const storageApi = {
  /**
   * Starts reading the saved tables while the engine starts (the wasm takes longer): the
   * first restore then goes on from there. Only a store of this release's layout is read ahead.
   * The page asks for it when it keeps data; a page that keeps nothing never touches the store.
   */
  readAhead(): void {
    if (!store || readAhead) return;
    readAhead = store
      .read(storedVersion)
      .then(async (version) => (version === SCHEMA_VERSION ? (await openSavedResults(store))?.prime() : undefined))
      .catch(() => undefined);
    // Not restored soon? Let the memory go.
    setTimeout(() => (readAhead = undefined), 60_000);
  },

  /**
   * Loads the saved results into the engine unless it has results already (`replace`
   * loads them anyway, e.g. after taking over from another tab). `writable` says
   * whether this tab owns the store: only then are runs and results written.
   */
  async restore(options: { writable: boolean; replace?: boolean }): Promise<RestoreOutcome> {
    if (!store || off) return { state: 'off', message: off };
    try {
      if (options.writable) await tidy(store);
      const version = await store.read(storedVersion);
      if (version > SCHEMA_VERSION) throw new NewerSchemaError(version);
      writable = options.writable;
    } catch (e) {
      writable = false;
      if (e instanceof NewerSchemaError) off = e.message;
      return { state: 'off', message: e instanceof NewerSchemaError ? e.message : `the saved data could not be opened: ${message(e)}` };
    }
    return withEngine(async (e) => {
      if (!options.replace && (await hasResults(e))) return { state: 'kept' };
      const started = performance.now();
      try {
        const early = await readAhead;
        readAhead = undefined;
        const manifest = await restoreResults(store, e, measuresSql(), early);
        if (!manifest) return { state: 'none' };
        return { state: 'restored', report: manifest.report, savedAt: manifest.savedAt, ms: performance.now() - started };
      } catch (err) {
        return { state: 'failed', message: `the saved results could not be loaded (${message(err)}). Run the pipeline again; the run history is kept.` };
      }
    });
  },

  /** Stops (or resumes) writing, when another tab takes the store over (or gives it back). */
  setWritable(value: boolean): void {
    writable = value && !off;
  },

  /** Whether the results of the last successful run were saved. */
  lastSave(): SaveOutcome | undefined {
    return lastSave;
  },

  /** Holds a lock for this worker's life: the page learns the worker died when it is freed. */
  async holdLifeLock(name: string): Promise<void> {
    if (locksAvailable()) await holdLock(name);
  },
};

/** Records the run as started and stores its source files first; never stops the run. */
export async function beginRun(runId: string, files: File[]): Promise<void> {
  lastSave = undefined;
  runLocks.set(runId, locksAvailable() ? await holdLock(runLockName(runId)).catch(() => null) : null);
  if (!store || !writable) return;
  try {
    const inputs = await inputsToStore(runId, files, sha256);
    await recordRunStart(store, runId, Date.now(), inputs, () => fullStorageAdvice(store));
  } catch {
    // The history misses this run's start; its end is still recorded.
  }
}

let progressWrites: Promise<void> = Promise.resolve();
let lastProgress = '';

/**
 * Notes a run's progress in the history whenever a task changes state, so a run that
 * is cut off shows which tasks had finished. Writes are queued, one at a time.
 */
export function noteProgress(report: RunReport): void {
  const states = report.tasks.map((t) => t.state).join();
  if (!store || !writable || report.state !== 'running' || states === lastProgress) return;
  lastProgress = states;
  const kv = store;
  progressWrites = progressWrites.then(() => recordRunReport(kv, report)).catch(() => undefined);
}

/** Records how the run ended (a successful run was recorded with its results already). */
export async function endRun(report: RunReport): Promise<void> {
  await progressWrites;
  lastProgress = '';
  try {
    const savedWithResults = report.state === 'success' && lastSave?.runId === report.runId && lastSave.saved;
    if (store && writable && !savedWithResults) {
      const extra = report.state === 'success' ? { resultsSaved: false, resultsNote: lastSave?.message } : {};
      await recordRunEnd(store, report, extra);
    }
  } catch {
    // Best effort: the results and earlier records are untouched.
  } finally {
    runLocks.get(report.runId)?.release();
    runLocks.delete(report.runId);
  }
}

/** Records a run that stopped with an unexpected error (outside the pipeline's own reporting). */
export async function endRunWithError(runId: string, error: unknown): Promise<void> {
  const record = store && writable ? await getRun(store, runId).catch(() => undefined) : undefined;
  const report = record?.report ?? startingReport(runId, Date.now(), []);
  await endRun(cutOffReport(report, `the run stopped unexpectedly: ${message(error)}`));
}

// Saved inside the run's lock, before the run reports success: once the UI says
// "success", a reload shows these results.
onNewResults(async (report, e) => {
  // A late progress note must not overwrite the final record written with the results.
  await progressWrites;
  if (!store || !writable) {
    lastSave = { runId: report.runId, saved: false, message: off ?? 'this tab is read-only (the workbench is open in another tab), so these results were not saved.' };
    return;
  }
  const started = performance.now();
  try {
    await saveResults(store, e, report);
    lastSave = { runId: report.runId, saved: true, ms: performance.now() - started };
  } catch (err) {
    lastSave = { runId: report.runId, saved: false, message: await saveFailureNote(store, report.startedAt, err) };
    // A re-run of edited models has no end of its own to record: say here that its results were not saved.
    await recordRunEnd(store, report, { resultsSaved: false, resultsNote: lastSave.message }).catch(() => undefined);
  }
});
