/**
 * The History page's state: the runs kept in this browser, what the store uses,
 * and the actions on them (open, re-run with the same inputs, delete, clear all).
 */
import type { RunState } from '../../pipeline/types.ts';
import { heldLocks, runLockName } from '../../storage/locks.ts';
import { currentRunId, deleteRun, getRun, listRuns, loadRunInputs } from '../../storage/run-log.ts';
import type { RunRecord, RunSummary } from '../../storage/schema.ts';
import { storeUsage, type StoreUsage } from '../../storage/usage.ts';
import { engineClient, persistence, inputFiles } from '../app-state.ts';
import { formatBytes } from '../format.ts';
import { recordStore } from '../../storage/app-store.ts';
import { errorText } from '../../shared/error-text.ts';

const store = recordStore();

/** A run as listed: `cutOff` when it is recorded as running but nothing runs it any more. */
export interface ListedRun extends RunSummary {
  shownState: RunState;
  cutOff: boolean;
}

/** What the browser says about its storage for this site. */
export interface BrowserStorage {
  usage?: number;
  quota?: number;
  persisted?: boolean;
}


export class RunHistory {
  runs = $state.raw<ListedRun[]>([]);
  /** The run whose results are the saved ones. */
  current = $state<string>();
  usage = $state.raw<StoreUsage | null>(null);
  browser = $state.raw<BrowserStorage>({});
  loaded = $state(false);
  /** What went wrong, in words. */
  error = $state<string>();
  /** What the last action did, in words. */
  note = $state<string>();

  /** Whether this tab may change the store (it owns it). */
  get canChange(): boolean {
    return store !== null && persistence.enabled && persistence.tabs.owner;
  }

  async load(): Promise<void> {
    // With saving off (an embed with persist=0) the store is not even read.
    if (!store || !persistence.enabled) {
      this.loaded = true;
      return;
    }
    try {
      const [runs, current, usage, held] = await Promise.all([listRuns(store), currentRunId(store), storeUsage(store), heldLocks()]);
      this.runs = runs.map((r) => {
        const cutOff = r.state === 'running' && !held.has(runLockName(r.runId));
        return { ...r, cutOff, shownState: cutOff ? 'failed' : r.state };
      });
      this.current = current;
      this.usage = usage;
      this.error = undefined;
    } catch (e) {
      this.error = `The history could not be read: ${errorText(e)}`;
    }
    this.browser = await browserStorage();
    this.loaded = true;
  }

  open(runId: string): Promise<RunRecord | undefined> {
    return store ? getRun(store, runId) : Promise.resolve(undefined);
  }

  /** Deletes a run and the source files only it used. */
  async remove(runId: string): Promise<boolean> {
    if (!store) return false;
    try {
      const freed = await deleteRun(store, runId);
      this.note = `The run was deleted${freed ? `, freeing ${formatBytes(freed)} of source files` : ''}.`;
      await this.load();
      return true;
    } catch (e) {
      this.error = `The run could not be deleted: ${errorText(e)}`;
      return false;
    }
  }

  /** Runs the pipeline again on the source files stored with this run. */
  async rerun(runId: string): Promise<void> {
    if (!store) return;
    const { files, missing } = await loadRunInputs(store, runId);
    if (missing.length || files.length === 0) {
      this.error = `This run's source files are not kept (${missing.join(', ') || 'none stored'}): drop them again on the Data page.`;
      return;
    }
    this.error = undefined;
    // As if the user dropped them: the run starts on its own and the Run page shows it.
    await inputFiles.replace(files.map((file) => ({ file, path: file.name })));
  }

  /** Deletes everything kept in this browser and drops what the engine holds in memory. */
  async clearAll(): Promise<void> {
    if (!store || engineClient.running) return;
    try {
      await store.clear();
    } catch (e) {
      this.error = `The data could not be cleared: ${errorText(e)}`;
      return;
    }
    inputFiles.clear();
    engineClient.report = null;
    engineClient.results = null;
    persistence.saveProblem = undefined;
    engineClient.restart('all saved data was cleared');
    this.note = 'All data kept in this browser was deleted: runs, source files, results, the last page, saved queries and model edits.';
    await this.load();
  }
}

async function browserStorage(): Promise<BrowserStorage> {
  const manager = navigator.storage;
  if (!manager?.estimate) return {};
  const [estimate, persisted] = await Promise.all([
    manager.estimate().catch(() => ({}) as StorageEstimate),
    manager.persisted ? manager.persisted().catch(() => false) : Promise.resolve(false),
  ]);
  return { usage: estimate.usage, quota: estimate.quota, persisted };
}

/** The History page's state, one per page. */
export const history = new RunHistory();
