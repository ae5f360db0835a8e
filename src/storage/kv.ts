/**
 * The store of record as a small key-value interface with atomic transactions.
 * IndexedDB implements it in the browser (worker and main thread); an in-memory
 * store implements it for tests and for browsers without IndexedDB.
 */
import { errorText } from '../shared/error-text.ts';

/** Reads and writes inside one transaction: all of its writes land, or none. */
export interface KvTx {
  get<T>(key: string): Promise<T | undefined>;
  /** Keys starting with `prefix`, sorted. */
  keys(prefix: string): Promise<string[]>;
  /** Values of the keys starting with `prefix`, in key order. */
  values<T>(prefix: string): Promise<T[]>;
  put(key: string, value: unknown): void;
  delete(key: string): void;
}

export interface KvStore {
  /** Runs `work` in one read-write transaction. `work` may await only the transaction's own calls. */
  write<T>(work: (tx: KvTx) => Promise<T> | T): Promise<T>;
  /** Runs `work` in one read-only transaction: a consistent snapshot. */
  read<T>(work: (tx: KvTx) => Promise<T> | T): Promise<T>;
  /** Removes every key, in one transaction. */
  clear(): Promise<void>;
}

/** The key range of a prefix: every string that starts with it. */
export function prefixEnd(prefix: string): string {
  return `${prefix}\uffff`;
}

/** True when an error means the browser refused to store more (the quota is used up). */
export function isQuotaError(e: unknown): boolean {
  const name = (e as { name?: string } | null)?.name;
  const text = errorText(e);
  return name === 'QuotaExceededError' || /quota/i.test(text);
}
