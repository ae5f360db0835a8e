/**
 * Schema versions and the steps between them, so a release reads what an earlier
 * one wrote. Each step runs in one transaction with the version bump: a migration
 * cut off half-way leaves the store at the version before it.
 */
import type { KvStore, KvTx } from './kv.ts';
import { KEYS, SCHEMA_VERSION, summarise, summaryKey, tableKey, type ResultsManifest, type RunRecord, type StoredTable } from './schema.ts';

/** The store was written by a newer release: this one must not touch it. */
export class NewerSchemaError extends Error {
  constructor(readonly found: number) {
    super(`the saved data was written by a newer version of the workbench (layout ${found}; this one knows ${SCHEMA_VERSION}). Reload the page to get the newer version.`);
    this.name = 'NewerSchemaError';
  }
}

/** Step from version `n` to `n + 1`, inside one transaction. */
type Step = (tx: KvTx) => Promise<void>;

export const STEPS: Record<number, Step> = {
  /** Version 1 kept only full run records; version 2 adds the summaries the history grid reads. */
  1: async (tx) => {
    for (const record of await tx.values<RunRecord>(KEYS.runs)) tx.put(summaryKey(record.runId), summarise(record));
  },
  /**
   * Version 2 kept each table in one value; version 3 lists each table's chunks in the
   * manifest. A whole-table value is a valid chunk, so the manifest points at it as the
   * table's only chunk: no data is copied, and the upgrade needs no room.
   */
  2: async (tx) => {
    const manifest = await tx.get<Omit<ResultsManifest, 'tables'> & { tables: (Omit<StoredTable, 'chunks'> & Partial<StoredTable>)[] }>(KEYS.current);
    if (!manifest) return;
    const tables = manifest.tables.map((t): StoredTable => ({
      ...t,
      chunks: t.chunks ?? [{ key: tableKey(manifest.generation, `${t.schema}.${t.name}`), rows: t.rows, bytes: t.bytes }],
    }));
    tx.put(KEYS.current, { ...manifest, tables });
  },
};

/** The layout version of the store; an empty store counts as the current one. */
export async function storedVersion(tx: KvTx): Promise<number> {
  const version = await tx.get<number>(KEYS.version);
  if (version !== undefined) return version;
  const any = (await tx.keys('')).length > 0;
  // Data without a version key predates versioning: the first layout.
  return any ? 1 : SCHEMA_VERSION;
}

/**
 * Brings the store to SCHEMA_VERSION, one step per transaction. Returns the version it
 * found. Throws NewerSchemaError for a store from a newer release (left untouched).
 */
export async function migrate(store: KvStore, target = SCHEMA_VERSION, steps = STEPS): Promise<number> {
  const found = await store.read(storedVersion);
  if (found > target) throw new NewerSchemaError(found);
  for (let from = found; from < target; from++) {
    const step = steps[from];
    if (!step) throw new Error(`no migration from layout ${from} to ${from + 1}`);
    await store.write(async (tx) => {
      // Another tab may have migrated meanwhile: check again inside the transaction.
      if ((await storedVersion(tx)) !== from) return;
      await step(tx);
      tx.put(KEYS.version, from + 1);
    });
  }
  // A new store gets its version key; an up-to-date one is not written to at all.
  if (found === target && (await store.read((tx) => tx.get(KEYS.version))) === undefined) {
    await store.write(async (tx) => {
      if ((await tx.get(KEYS.version)) === undefined) tx.put(KEYS.version, target);
    });
  }
  return found;
}

/** Throws unless the store is at this release's version (checked inside write transactions). */
export async function assertCurrentVersion(tx: KvTx): Promise<void> {
  const version = await storedVersion(tx);
  if (version > SCHEMA_VERSION) throw new NewerSchemaError(version);
  if (version < SCHEMA_VERSION) throw new Error(`the saved data is at layout ${version} and must be upgraded first; reload the page`);
}
