/**
 * The worker's storage calls: restore the last good run into the engine (reading the
 * saved tables ahead while the wasm starts), say whether the last results were saved,
 * and follow which tab may write. Each good run's results are saved here, inside the
 * run's lock, before the run reports success: once the page says "success", a reload
 * shows them.
 */
import type { WasmEngine } from '../../duckdb/wasm-engine.ts';
import type { RunReport } from '../../pipeline/types.ts';
import { errorText } from '../../shared/error-text.ts';
import { SHIPPED_MODELS } from '../../shared/shipped-models.ts';
import type { KvStore } from '../../storage/kv.ts';
import { heldLocks, holdLock, locksAvailable, runLockName } from '../../storage/locks.ts';
import { migrate, NewerSchemaError, storedVersion } from '../../storage/migrations.ts';
import { removeOrphanTables, saveResults } from '../../storage/results.ts';
import { openSavedResults, restoreResults, type RestoreProgress, type SavedResultsReader } from '../../storage/results-restore.ts';
import { markCutOffRuns, recordRunEnd } from '../../storage/run-log.ts';
import { saveFailureNote, storageErrorText } from '../../storage/save-errors.ts';
import { SCHEMA_VERSION } from '../../storage/schema.ts';
import { announceResultsStored, onNewResults, withEngine } from '../engine-access.ts';
import { notifyPage } from '../page-callback.ts';
import { progressWritten, runLocks } from '../run/run-record.ts';
import { workerStore, type SaveOutcome } from './worker-store.ts';

export type { SaveOutcome } from './worker-store.ts';

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

/** The saved results being read while the engine starts (see `readAhead`). */
let readAhead: Promise<SavedResultsReader | undefined> | undefined;

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
    const kv = workerStore.kv;
    if (!kv || readAhead) return;
    readAhead = kv
      .read(storedVersion)
      .then(async (version) => (version === SCHEMA_VERSION ? (await openSavedResults(kv))?.prime() : undefined))
      .catch(() => undefined);
    // Not restored soon? Let the memory go.
    setTimeout(() => (readAhead = undefined), 60_000);
  },

  /**
   * Loads the saved results into the engine unless it has results already (`replace`
   * loads them anyway, e.g. after taking over from another tab). `writable` says
   * whether this tab owns the store: only then are runs and results written. `onProgress`
   * (a comlink proxy) hears the rows loaded so far, of all.
   */
  async restore(options: { writable: boolean; replace?: boolean }, onProgress?: RestoreProgress): Promise<RestoreOutcome> {
    const kv = workerStore.kv;
    if (!kv || workerStore.off) return { state: 'off', message: workerStore.off };
    try {
      if (options.writable) await tidy(kv);
      const version = await kv.read(storedVersion);
      if (version > SCHEMA_VERSION) throw new NewerSchemaError(version);
      workerStore.writable = options.writable;
    } catch (e) {
      workerStore.writable = false;
      if (e instanceof NewerSchemaError) workerStore.off = e.message;
      return { state: 'off', message: e instanceof NewerSchemaError ? e.message : `the saved data could not be opened: ${errorText(e)}` };
    }
    return withEngine(async (e) => {
      if (!options.replace && (await hasResults(e))) return { state: 'kept' };
      const started = performance.now();
      try {
        const early = await readAhead;
        readAhead = undefined;
        const manifest = await restoreResults(kv, e, measuresSql(), early, notifyPage(onProgress));
        if (!manifest) return { state: 'none' };
        await announceResultsStored(manifest, kv, e, false);
        return { state: 'restored', report: manifest.report, savedAt: manifest.savedAt, ms: performance.now() - started };
      } catch (err) {
        return { state: 'failed', message: `the saved results could not be loaded (${storageErrorText(err)}). Run the pipeline again; the run history is kept.` };
      }
    });
  },

  /** Stops (or resumes) writing, when another tab takes the store over (or gives it back). */
  setWritable(value: boolean): void {
    workerStore.writable = value && !workerStore.off;
  },

  /** Whether the results of the last successful run were saved. */
  lastSave(): SaveOutcome | undefined {
    return workerStore.lastSave;
  },

  /** Holds a lock for this worker's life: the page learns the worker died when it is freed. */
  async holdLifeLock(name: string): Promise<void> {
    if (locksAvailable()) await holdLock(name);
  },
};

onNewResults(async (report, e, progress) => {
  // A late progress note must not overwrite the final record written with the results.
  await progressWritten();
  const kv = workerStore.forWriting;
  if (!kv) {
    const why = workerStore.off ?? 'this tab is read-only (the workbench is open in another tab), so these results were not saved.';
    workerStore.lastSave = { runId: report.runId, saved: false, message: why };
    return;
  }
  const started = performance.now();
  try {
    const manifest = await saveResults(kv, e, report, { onProgress: (done, total) => progress('save', done, total) });
    workerStore.lastSave = { runId: report.runId, saved: true, ms: performance.now() - started };
    await announceResultsStored(manifest, kv, e, true);
  } catch (err) {
    workerStore.lastSave = { runId: report.runId, saved: false, message: await saveFailureNote(kv, report.startedAt, err) };
    // A re-run of edited models has no end of its own to record: say here that its results were not saved.
    await recordRunEnd(kv, report, { resultsSaved: false, resultsNote: workerStore.lastSave.message }).catch(() => undefined);
  }
});
