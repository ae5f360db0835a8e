/**
 * What the workbench keeps between visits (query history, console tabs, model
 * overrides, saved charts), under `workbench/` keys of the app's store of record.
 * Storage problems never stop the workbench: reads fall back, writes report false.
 */
import { embedSettings } from '../embed/embed-mode.ts';
import { hasIndexedDb, openIdbStore } from '../../storage/idb-store.ts';
import type { KvStore } from '../../storage/kv.ts';
import { MemoryStore } from '../../storage/memory-store.ts';

export const WORKBENCH_KEYS = {
  history: 'workbench/history',
  tabs: 'workbench/tabs',
  overrides: 'workbench/overrides',
  applied: 'workbench/applied',
  charts: 'workbench/charts',
} as const;

export type WorkbenchKey = (typeof WORKBENCH_KEYS)[keyof typeof WORKBENCH_KEYS];

let store: KvStore | undefined;

function kv(): KvStore {
  // An embed with persist=0 keeps nothing in the browser: this visit's items only.
  return (store ??= hasIndexedDb() && embedSettings.persist ? openIdbStore() : new MemoryStore());
}

/** The saved value, or `fallback` when there is none or it cannot be read. */
export async function loadSaved<T>(key: WorkbenchKey, fallback: T): Promise<T> {
  try {
    return (await kv().read((tx) => tx.get<T>(key))) ?? fallback;
  } catch {
    return fallback;
  }
}

/** Saves a value (plain data: pass `$state.snapshot(...)` of runes); false when the browser refused. */
export async function saveValue(key: WorkbenchKey, value: unknown): Promise<boolean> {
  try {
    await kv().write((tx) => tx.put(key, value));
    return true;
  } catch {
    return false;
  }
}
