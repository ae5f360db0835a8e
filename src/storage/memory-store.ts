/**
 * A KvStore in memory, with IndexedDB's guarantees that matter here: transactions
 * are serialised and all-or-nothing, values are copied, and an optional quota makes
 * a write fail the way a full disk does. Used by tests, and when IndexedDB is missing.
 */
import { Mutex } from '../shared/mutex.ts';
import { prefixEnd, type KvStore, type KvTx } from './kv.ts';

/** The error a write gets when the quota is used up (the same name as the browser's). */
export class QuotaExceeded extends Error {
  override name = 'QuotaExceededError';
}

function sizeOf(value: unknown): number {
  if (value instanceof Blob) return value.size;
  if (ArrayBuffer.isView(value)) return value.byteLength;
  return JSON.stringify(value ?? null).length;
}

function copy<T>(value: T): T {
  return value instanceof Blob ? value : structuredClone(value);
}

export class MemoryStore implements KvStore {
  readonly data = new Map<string, unknown>();
  /** Bytes the store may hold; a transaction that would exceed it fails whole. */
  quota: number;
  #lock = new Mutex();

  constructor(quota = Number.POSITIVE_INFINITY) {
    this.quota = quota;
  }

  /** Bytes held now (Blobs and byte arrays by size, other values as JSON). */
  get bytes(): number {
    let sum = 0;
    for (const v of this.data.values()) sum += sizeOf(v);
    return sum;
  }

  write<T>(work: (tx: KvTx) => Promise<T> | T): Promise<T> {
    return this.#lock.run(async () => {
      const pending = new Map<string, unknown>();
      const deleted = Symbol('deleted');
      const result = await work(this.#tx(pending, deleted));
      const next = new Map(this.data);
      for (const [k, v] of pending) {
        if (v === deleted) next.delete(k);
        else next.set(k, v);
      }
      let total = 0;
      for (const v of next.values()) total += sizeOf(v);
      // As in browsers, a transaction that only frees space always goes through.
      if (total > this.quota && total > this.bytes) throw new QuotaExceeded('The quota has been exceeded.');
      this.data.clear();
      for (const [k, v] of next) this.data.set(k, v);
      return result;
    });
  }

  read<T>(work: (tx: KvTx) => Promise<T> | T): Promise<T> {
    return this.#lock.run(async () => work(this.#tx(new Map(), Symbol('deleted'), true)));
  }

  async clear(): Promise<void> {
    await this.#lock.run(async () => this.data.clear());
  }

  #tx(pending: Map<string, unknown>, deleted: symbol, readOnly = false): KvTx {
    const view = (key: string) => (pending.has(key) ? pending.get(key) : this.data.get(key));
    const keys = (prefix: string) => {
      const all = new Set([...this.data.keys(), ...pending.keys()]);
      return [...all].filter((k) => k >= prefix && k <= prefixEnd(prefix) && view(k) !== deleted && view(k) !== undefined).sort();
    };
    const refuse = () => {
      if (readOnly) throw new Error('read-only transaction');
    };
    return {
      get: async <T>(key: string) => {
        const v = view(key);
        return (v === deleted || v === undefined ? undefined : copy(v)) as T | undefined;
      },
      keys: async (prefix) => keys(prefix),
      values: async <T>(prefix: string) => keys(prefix).map((k) => copy(view(k)) as T),
      put: (key, value) => {
        refuse();
        pending.set(key, copy(value));
      },
      delete: (key) => {
        refuse();
        pending.set(key, deleted);
      },
    };
  }
}
