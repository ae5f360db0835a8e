/** The page's handle on the store of record (the worker opens its own on the same database). */
import { hasIndexedDb, openIdbStore } from '../../storage/idb-store.ts';
import type { KvStore } from '../../storage/kv.ts';

/** Null where the browser offers no IndexedDB: then nothing is kept between visits. */
export const store: KvStore | null = hasIndexedDb() ? openIdbStore() : null;
