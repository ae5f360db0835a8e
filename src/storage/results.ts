/**
 * The last good run's tables (rejects, gold, kpi, segmentation) in and out of the
 * store as Arrow IPC stream bytes. Saving writes a new generation table by table,
 * then flips `meta/current` in one transaction, so the store always names a complete
 * run; restoring builds a fresh catalog and swaps it in only when every table loaded.
 */
import { tableFromIPC, tableToIPC } from 'apache-arrow';
import { abandonStage, commitStage, openStage } from '../pipeline/stage.ts';
import { quoteIdent } from '../sql/quote.ts';
import type { RunReport } from '../pipeline/types.ts';
import type { WasmEngine } from '../duckdb/wasm-engine.ts';
import type { KvStore, KvTx } from './kv.ts';
import { assertCurrentVersion } from './migrations.ts';
import {
  contentKey, generationPrefix, KEYS, runKey, summarise, summaryKey, tableKey, type ResultsManifest, type RunRecord, type StoredInputRef, type StoredTable,
} from './schema.ts';

/** The layers kept: bronze and silver are as large as the input and are rebuilt by a run. */
export const SAVED_LAYERS = ['rejects', 'gold', 'kpi', 'segmentation'] as const;

/** The tables of the current results in the saved layers, with their columns. */
async function currentTables(e: WasmEngine): Promise<Omit<StoredTable, 'rows' | 'bytes'>[]> {
  const cols = await e.query<{ schema: string; name: string; column: string; type: string }>(
    `select schema_name as schema, table_name as name, column_name as column, data_type as type from duckdb_columns()
     where database_name = current_database() and schema_name in (${SAVED_LAYERS.map(() => '?').join(', ')})
     order by schema_name, table_name, column_index`,
    [...SAVED_LAYERS],
  );
  const tables = new Map<string, Omit<StoredTable, 'rows' | 'bytes'>>();
  for (const c of cols) {
    const key = `${c.schema}.${c.name}`;
    if (!tables.has(key)) tables.set(key, { schema: c.schema, name: c.name, columns: [] });
    tables.get(key)!.columns.push({ name: c.column, type: c.type });
  }
  return [...tables.values()];
}

/**
 * Arrow IPC file bytes -> stream bytes. A file is magic, the stream, a footer: the
 * stream is cut out as is when it has its markers, else decoded and written again.
 */
export function fileToStream(file: Uint8Array): Uint8Array {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  if (file.byteLength > 18) {
    const end = file.byteLength - 10 - view.getInt32(file.byteLength - 10, true);
    const stream = file.subarray(8, end);
    const eos = stream.length >= 8 && view.getUint32(end - 8, true) === 0xffffffff && view.getUint32(end - 4, true) === 0;
    if (end > 8 && eos && view.getUint32(8, true) === 0xffffffff) return stream.slice();
  }
  return tableToIPC(tableFromIPC(file), 'stream');
}

function newGeneration(): string {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * Saves the current results of `report`'s run as the store's current results, and
 * that run's final record with them. On any failure (quota included) the partial
 * generation is removed and the previous results stay current; the error is thrown.
 */
export async function saveResults(store: KvStore, e: WasmEngine, report: RunReport): Promise<ResultsManifest> {
  const generation = newGeneration();
  const tables: StoredTable[] = [];
  try {
    for (const t of await currentTables(e)) {
      const id = `${t.schema}.${t.name}`;
      const bytes = fileToStream(e.ipc(`select * from ${quoteIdent(t.schema)}.${quoteIdent(t.name)}`));
      const [{ n }] = await e.query<{ n: number }>(`select count(*)::integer as n from ${quoteIdent(t.schema)}.${quoteIdent(t.name)}`);
      // One transaction per table keeps memory low; the generation is invisible until the flip.
      await store.write((tx) => tx.put(tableKey(generation, id), bytes));
      tables.push({ ...t, rows: n, bytes: bytes.byteLength });
    }
    const manifest: ResultsManifest = { generation, runId: report.runId, savedAt: Date.now(), report, tables };
    await store.write(async (tx) => {
      await assertCurrentVersion(tx);
      if ((await tx.keys(generationPrefix(generation))).length !== tables.length) throw new Error('the saved tables were removed while saving (was the data cleared?)');
      const previous = await tx.get<ResultsManifest>(KEYS.current);
      tx.put(KEYS.current, manifest);
      const record = await tx.get<RunRecord>(runKey(report.runId)) ?? { runId: report.runId, report, inputs: await knownInputs(tx, report) };
      const final: RunRecord = { ...record, runId: report.runId, report, resultsSaved: true };
      tx.put(runKey(report.runId), final);
      tx.put(summaryKey(report.runId), summarise(final));
      if (previous && previous.generation !== generation) for (const key of await tx.keys(generationPrefix(previous.generation))) tx.delete(key);
    });
    return manifest;
  } catch (err) {
    await store.write(async (tx) => {
      for (const key of await tx.keys(generationPrefix(generation))) tx.delete(key);
    }).catch(() => undefined);
    throw err;
  }
}

/** The inputs of a run not recorded at its start (a re-run of edited models): those stored already. */
async function knownInputs(tx: KvTx, report: RunReport): Promise<StoredInputRef[]> {
  const refs: StoredInputRef[] = [];
  for (const i of report.inputs) {
    const key = i.sha256 ? contentKey(i.sha256) : null;
    const kept = key !== null && (await tx.get(key)) !== undefined;
    refs.push({ key: kept ? key : null, name: i.name, size: i.size, type: 'text/csv', lastModified: 0, sha256: i.sha256 });
  }
  return refs;
}

/** Removes tables of generations that never became current (a save cut off half-way). */
export async function removeOrphanTables(store: KvStore): Promise<number> {
  const orphansIn = async (tx: KvTx) => {
    const current = await tx.get<ResultsManifest>(KEYS.current);
    const keep = current ? generationPrefix(current.generation) : undefined;
    return (await tx.keys(KEYS.results)).filter((k) => !keep || !k.startsWith(keep));
  };
  if ((await store.read(orphansIn)).length === 0) return 0;
  return store.write(async (tx) => {
    const orphans = await orphansIn(tx);
    for (const key of orphans) tx.delete(key);
    return orphans.length;
  });
}

/** Column types DuckDB can be told back as they were (anything else is left to Arrow's type). */
const PLAIN_TYPE = /^[A-Z][A-Z0-9_ ]*(\(\d+(, ?\d+)?\))?(\[\])?$/;

/** The saved results as read in one transaction: the manifest and every table's bytes. */
export interface SavedResults {
  manifest: ResultsManifest;
  bytes: (Uint8Array | undefined)[];
}

/** Reads the saved results in one read-only transaction (a consistent snapshot), or undefined. */
export async function readSavedResults(store: KvStore): Promise<SavedResults | undefined> {
  return store.read(async (tx) => {
    const manifest = await tx.get<ResultsManifest>(KEYS.current);
    if (!manifest) return undefined;
    const bytes = await Promise.all(manifest.tables.map((t) => tx.get<Uint8Array>(tableKey(manifest.generation, `${t.schema}.${t.name}`))));
    return { manifest, bytes };
  });
}

/**
 * Loads saved results into a fresh catalog and makes it the current one; the measure
 * macros are defined again from `measuresSql`. On failure the engine's current results stay.
 */
export async function loadSavedResults(e: WasmEngine, saved: SavedResults, measuresSql: string): Promise<ResultsManifest> {
  const { manifest, bytes } = saved;
  const stage = await openStage(e, new Date(manifest.report.startedAt).toISOString().slice(0, 10));
  try {
    for (const [i, t] of manifest.tables.entries()) {
      const data = bytes[i];
      if (!data) throw new Error(`the saved table ${t.schema}.${t.name} is missing`);
      const exact = t.columns.every((c) => PLAIN_TYPE.test(c.type));
      if (exact) await e.exec(`create table ${quoteIdent(t.schema)}.${quoteIdent(t.name)} (${t.columns.map((c) => `${quoteIdent(c.name)} ${c.type}`).join(', ')})`);
      if (t.rows > 0 || !exact) e.conn.insertArrowFromIPCStream(data, { schema: t.schema, name: t.name, create: !exact });
      const [{ n }] = await e.query<{ n: number }>(`select count(*)::integer as n from ${quoteIdent(t.schema)}.${quoteIdent(t.name)}`);
      if (n !== t.rows) throw new Error(`the saved table ${t.schema}.${t.name} has ${n} rows, expected ${t.rows}`);
    }
    await e.exec(measuresSql);
    await commitStage(e, stage);
    return manifest;
  } catch (err) {
    await abandonStage(e, stage).catch(() => undefined);
    throw err;
  }
}

/** Reads the saved results and loads them into the engine; undefined when nothing is saved. */
export async function restoreResults(store: KvStore, e: WasmEngine, measuresSql: string): Promise<ResultsManifest | undefined> {
  const saved = await readSavedResults(store);
  return saved ? loadSavedResults(e, saved, measuresSql) : undefined;
}
