/**
 * The worker's handle on the store of record, and what it may do with it: nothing
 * where the browser has no IndexedDB (or the store is of a newer release), reads only
 * while another tab owns the store, and the outcome of the last results save.
 */
import { recordStore } from '../../storage/app-store.ts';
import type { KvStore } from '../../storage/kv.ts';

/** Whether the last good run's results were saved, and if not why (in words). */
export interface SaveOutcome {
  runId: string;
  saved: boolean;
  message?: string;
}

export const NO_INDEXEDDB =
  'this browser does not let the workbench keep data (IndexedDB is not available, as in some private windows): results last as long as this tab.';

class WorkerStore {
  readonly kv: KvStore | null = recordStore();
  /** Why the store cannot be used at all, in words. */
  off: string | undefined = this.kv ? undefined : NO_INDEXEDDB;
  /** Only the tab that owns the store writes to it (the others are read-only). */
  writable = false;
  lastSave: SaveOutcome | undefined;

  /** The store, when this worker may write to it. */
  get forWriting(): KvStore | null {
    return this.kv && this.writable && !this.off ? this.kv : null;
  }
}

export const workerStore = new WorkerStore();
