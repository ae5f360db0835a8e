/**
 * The store of record in IndexedDB, through idb-keyval's store handle. Each call
 * is one IndexedDB transaction, so a write that fails (quota, a closed tab) leaves
 * nothing half-written. Works in the window and in workers.
 */
import { createStore, promisifyRequest, type UseStore } from 'idb-keyval';
import { prefixEnd, type KvStore, type KvTx } from './kv.ts';
import { StoreAbortedError } from './save-errors.ts';

/** The database and object store names (one store; keys carry a prefix per kind). */
export const DB_NAME = 'retail-workbench';
export const STORE_NAME = 'store';

function range(prefix: string): IDBKeyRange {
  return IDBKeyRange.bound(prefix, prefixEnd(prefix));
}

function wrap(store: IDBObjectStore): KvTx {
  return {
    get: <T>(key: string) => promisifyRequest(store.get(key)) as Promise<T | undefined>,
    keys: async (prefix) => (await promisifyRequest(store.getAllKeys(range(prefix)))).map(String),
    values: <T>(prefix: string) => promisifyRequest(store.getAll(range(prefix))) as Promise<T[]>,
    put: (key, value) => {
      store.put(value, key);
    },
    delete: (key) => {
      store.delete(key);
    },
  };
}

/**
 * Settles when the transaction has committed, or rejects with why it aborted. A failed
 * request's error event reaches the transaction before its abort, while `transaction.error`
 * is still null (idb-keyval's promisifyRequest rejects with that null): so wait for the
 * abort, and fall back on the request's error, then on an error that says so in words.
 */
export function committed(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    let requestError: DOMException | null = null;
    tx.addEventListener('error', (event) => {
      requestError ??= (event.target as IDBRequest | null)?.error ?? null;
    });
    tx.addEventListener('complete', () => resolve());
    tx.addEventListener('abort', () => reject(tx.error ?? requestError ?? new StoreAbortedError()));
  });
}

/** Runs `work` and waits until its transaction has committed (or rejects with why it aborted). */
function transact<T>(use: UseStore, mode: IDBTransactionMode, work: (tx: KvTx) => Promise<T> | T): Promise<T> {
  return use(mode, async (store) => {
    const done = committed(store.transaction);
    done.catch(() => undefined);
    let result: T;
    try {
      result = await work(wrap(store));
    } catch (e) {
      try {
        store.transaction.abort();
      } catch {
        // already finished or aborted
      }
      throw e;
    }
    // Commit now rather than once this thread has handled the last request's success event:
    // the save's writes are queued while the worker runs long statements, and an open
    // transaction would keep the next one waiting until the thread is free again.
    try {
      store.transaction.commit?.();
    } catch {
      // no longer active: it commits on its own
    }
    await done;
    return result;
  });
}

/**
 * The app's store in IndexedDB. The database is opened (created if need be) by the first
 * read or write, so a page that keeps nothing (an embed with `persist=0`) leaves no trace.
 */
export function openIdbStore(dbName = DB_NAME, storeName = STORE_NAME): KvStore {
  let opened: UseStore | undefined;
  const use: UseStore = (mode, callback) => (opened ??= createStore(dbName, storeName))(mode, callback);
  return {
    write: (work) => transact(use, 'readwrite', work),
    read: (work) => transact(use, 'readonly', work),
    clear: () => use('readwrite', (store) => {
      store.clear();
      return committed(store.transaction);
    }),
  };
}

/** True where IndexedDB can be used (not in Node, not in some locked-down browsers). */
export function hasIndexedDb(): boolean {
  return typeof indexedDB !== 'undefined';
}
