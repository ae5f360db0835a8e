/**
 * The app's one way into IndexedDB. Each context (the page, the engine's worker)
 * opens the store of record here, once; every feature keeps its keys under its own
 * prefix (schema.ts). Small items of the page (console tabs, model overrides) may
 * live in memory instead, when nothing may be kept.
 */
import { hasIndexedDb, openIdbStore } from './idb-store.ts';
import type { KvStore } from './kv.ts';
import { MemoryStore } from './memory-store.ts';

let record: KvStore | null | undefined;
let items: KvStore | undefined;

/**
 * The store of record of this context: IndexedDB, opened on first read or write (so a
 * page that keeps nothing leaves no database), or null where the browser has none.
 */
export function recordStore(): KvStore | null {
  if (record === undefined) record = hasIndexedDb() ? openIdbStore() : null;
  return record;
}

/** Where the page keeps small items: the store of record, or this visit's memory when `persist` is off. */
export function itemStore(persist: boolean): KvStore {
  return (items ??= (persist ? recordStore() : null) ?? new MemoryStore());
}

/** A saved item, or `fallback` when there is none or it cannot be read: storage never stops a feature. */
export async function loadItem<T>(kv: KvStore, key: string, fallback: T): Promise<T> {
  try {
    return (await kv.read((tx) => tx.get<T>(key))) ?? fallback;
  } catch {
    return fallback;
  }
}

/** Saves an item (plain data: pass `$state.snapshot(...)` of runes); false when the browser refused. */
export async function saveItem(kv: KvStore, key: string, value: unknown): Promise<boolean> {
  try {
    await kv.write((tx) => tx.put(key, value));
    return true;
  } catch {
    return false;
  }
}
