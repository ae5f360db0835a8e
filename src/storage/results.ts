/**
 * Saving the last good run's tables (rejects, gold, kpi, segmentation) into the store:
 * each table is streamed out of DuckDB in chunks of Arrow IPC (arrow-chunks.ts) into a
 * new generation, then `meta/current` is flipped in one transaction, so the store always
 * names a complete run. Reading them back: results-restore.ts.
 */
import { QueryStream } from '../exports/query-stream.ts';
import { quoteIdent } from '../sql/quote.ts';
import type { RunReport } from '../pipeline/types.ts';
import type { WasmEngine } from '../duckdb/wasm-engine.ts';
import { arrowChunks, CHUNK_BYTES } from './arrow-chunks.ts';
import type { KvStore, KvTx } from './kv.ts';
import { assertCurrentVersion } from './migrations.ts';
import {
  chunkKey, contentKey, generationPrefix, KEYS, runKey, summarise, summaryKey, type ResultsManifest, type RunRecord, type StoredChunk, type StoredInputRef, type StoredTable,
} from './schema.ts';

/** The layers kept: bronze and silver are as large as the input and are rebuilt by a run. */
export const SAVED_LAYERS = ['rejects', 'gold', 'kpi', 'segmentation'] as const;

/** The tables of the current results in the saved layers, with their columns. */
async function currentTables(e: WasmEngine): Promise<Omit<StoredTable, 'rows' | 'bytes' | 'chunks'>[]> {
  const cols = await e.query<{ schema: string; name: string; column: string; type: string }>(
    `select schema_name as schema, table_name as name, column_name as column, data_type as type from duckdb_columns()
     where database_name = current_database() and schema_name in (${SAVED_LAYERS.map(() => '?').join(', ')})
     order by schema_name, table_name, column_index`,
    [...SAVED_LAYERS],
  );
  const tables = new Map<string, Omit<StoredTable, 'rows' | 'bytes' | 'chunks'>>();
  for (const c of cols) {
    const key = `${c.schema}.${c.name}`;
    if (!tables.has(key)) tables.set(key, { schema: c.schema, name: c.name, columns: [] });
    tables.get(key)!.columns.push({ name: c.column, type: c.type });
  }
  return [...tables.values()];
}

function newGeneration(): string {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * Bytes handed to the store and not yet committed. The save runs beside the dashboards'
 * aggregate build (../workers/engine-access.ts), whose statements hold this thread for
 * seconds: writes queued ahead keep IndexedDB busy meanwhile. The bytes sit in the
 * browser's queue, not the engine's heap.
 */
export const WRITE_AHEAD_BYTES = 64 * 1024 * 1024;

/**
 * One table's rows into the store as chunks, one write transaction each: the rows are
 * streamed out of DuckDB through `reader` (a connection of its own, so `e` can run
 * other statements between chunks), so neither the engine nor this worker ever holds
 * the whole table; at most WRITE_AHEAD_BYTES wait to be written.
 */
async function saveTable(store: KvStore, reader: WasmEngine, generation: string, table: CountedTable, chunkBytes: number, onRows: (rows: number) => void): Promise<StoredTable> {
  const { n, ...columns } = table;
  const id = `${table.schema}.${table.name}`;
  const from = `${quoteIdent(table.schema)}.${quoteIdent(table.name)}`;
  const chunks: StoredChunk[] = [];
  const writes: { done: Promise<void>; bytes: number }[] = [];
  let ahead = 0;
  const stream = new QueryStream(reader, `select * from ${from}`);
  try {
    for (const chunk of arrowChunks(stream.header, () => stream.next(), chunkBytes)) {
      const key = chunkKey(generation, id, chunks.length);
      const done = store.write((tx) => tx.put(key, chunk.bytes));
      done.catch(() => undefined);
      // Progress counts rows once their write has committed (an empty table's one chunk adds none).
      if (chunk.rows > 0) done.then(() => onRows(chunk.rows), () => undefined);
      writes.push({ done, bytes: chunk.bytes.byteLength });
      ahead += chunk.bytes.byteLength;
      chunks.push({ key, rows: chunk.rows, bytes: chunk.bytes.byteLength });
      while (ahead > WRITE_AHEAD_BYTES) {
        const oldest = writes.shift()!;
        ahead -= oldest.bytes;
        await oldest.done;
      }
    }
  } finally {
    stream.close();
    // On failure too: the caller removes the generation only once nothing more can land in it.
    await Promise.allSettled(writes.map((w) => w.done));
  }
  for (const w of writes) await w.done;
  const rows = chunks.reduce((sum, c) => sum + c.rows, 0);
  if (rows !== n) throw new Error(`the table ${id} was saved with ${rows} rows instead of ${n}`);
  return { ...columns, rows, bytes: chunks.reduce((sum, c) => sum + c.bytes, 0), chunks };
}

/** A table to save, with its row count (read before the save starts, for its progress and its check). */
type CountedTable = Omit<StoredTable, 'rows' | 'bytes' | 'chunks'> & { n: number };

async function countRows(e: WasmEngine, table: Omit<StoredTable, 'rows' | 'bytes' | 'chunks'>): Promise<CountedTable> {
  const [{ n }] = await e.query<{ n: number }>(`select count(*)::integer as n from ${quoteIdent(table.schema)}.${quoteIdent(table.name)}`);
  return { ...table, n };
}

export interface SaveOptions {
  /** About this many bytes of Arrow per stored chunk. */
  chunkBytes?: number;
  /** Hears, as each chunk's write commits, the rows saved so far of all the tables' rows. */
  onProgress?: (rowsDone: number, rowsTotal: number) => void;
}

/**
 * Saves the current results of `report`'s run as the store's current results, and
 * that run's final record with them. On any failure (quota included) the partial
 * generation is removed and the previous results stay current; the error is thrown.
 */
export async function saveResults(store: KvStore, e: WasmEngine, report: RunReport, options: SaveOptions = {}): Promise<ResultsManifest> {
  const { chunkBytes = CHUNK_BYTES, onProgress } = options;
  const generation = newGeneration();
  const tables: StoredTable[] = [];
  const reader = await e.openReader();
  try {
    const counted: CountedTable[] = [];
    for (const t of await currentTables(e)) counted.push(await countRows(e, t));
    const rowsTotal = counted.reduce((sum, t) => sum + t.n, 0);
    let rowsDone = 0;
    const onRows = (rows: number) => {
      rowsDone += rows;
      onProgress?.(rowsDone, rowsTotal);
    };
    for (const t of counted) tables.push(await saveTable(store, reader, generation, t, chunkBytes, onRows));
    const manifest: ResultsManifest = { generation, runId: report.runId, savedAt: Date.now(), report, tables };
    const chunkCount = tables.reduce((sum, t) => sum + t.chunks.length, 0);
    // The generation becomes visible only here, in one transaction with the run's final record.
    await store.write(async (tx) => {
      await assertCurrentVersion(tx);
      if ((await tx.keys(generationPrefix(generation))).length !== chunkCount) throw new Error('the saved tables were removed while saving (was the data cleared?)');
      const previous = await tx.get<ResultsManifest>(KEYS.current);
      tx.put(KEYS.current, manifest);
      const record = await tx.get<RunRecord>(runKey(report.runId)) ?? { runId: report.runId, report, inputs: await knownInputs(tx, report) };
      const final: RunRecord = { ...record, runId: report.runId, report, resultsSaved: true, resultsNote: undefined };
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
  } finally {
    reader.close();
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

