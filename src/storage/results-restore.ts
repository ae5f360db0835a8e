/**
 * Reading the saved results back into the engine, chunk by chunk: a few megabytes are
 * read ahead from the store while DuckDB loads the chunk before, so neither the worker
 * nor the engine ever holds a table's bytes at once. The tables go into a fresh catalog,
 * swapped in only when every table loaded with its saved row count.
 */
import { abandonStage, commitStage, openStage } from '../pipeline/stage.ts';
import { quoteIdent } from '../sql/quote.ts';
import type { WasmEngine } from '../duckdb/wasm-engine.ts';
import type { KvStore } from './kv.ts';
import { KEYS, type ResultsManifest, type StoredChunk, type StoredTable } from './schema.ts';

/** Bytes read per read transaction, and how many such groups are read ahead of the engine (64 MiB). */
const GROUP_BYTES = 16 * 1024 * 1024;
const GROUPS_AHEAD = 4;

/**
 * Lets the worker's event loop run between two chunks. Chromium hands large IndexedDB values
 * over as blobs that are read on this thread: the reads ahead progress only while it is free.
 */
const letReadsProgress = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** The saved results changed while they were read (another tab saved newer ones, or they were cleared). */
export class SavedResultsChanged extends Error {
  constructor(table: string) {
    super(`a piece of the saved table ${table} is gone: the saved results changed while they were read`);
    this.name = 'SavedResultsChanged';
  }
}

interface Piece { table: StoredTable; chunk: StoredChunk }

/** Chunks in consecutive groups of about GROUP_BYTES (a chunk larger than that is a group of its own). */
function groupPieces(manifest: ResultsManifest): Piece[][] {
  const groups: Piece[][] = [];
  let group: Piece[] = [];
  let bytes = 0;
  for (const table of manifest.tables) {
    for (const chunk of table.chunks) {
      if (group.length > 0 && bytes + chunk.bytes > GROUP_BYTES) {
        groups.push(group);
        group = [];
        bytes = 0;
      }
      group.push({ table, chunk });
      bytes += chunk.bytes;
    }
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

/**
 * The saved results of one generation being read: the manifest at once, the chunks in
 * order, each group in its own read transaction, GROUPS_AHEAD groups ahead of the reader.
 * Start it early (`prime`) to read while the engine starts.
 */
export class SavedResultsReader {
  readonly manifest: ResultsManifest;
  readonly #store: KvStore;
  readonly #groups: Piece[][];
  readonly #reads = new Map<number, Promise<(Uint8Array | undefined)[]>>();

  constructor(store: KvStore, manifest: ResultsManifest) {
    this.#store = store;
    this.manifest = manifest;
    this.#groups = groupPieces(manifest);
  }

  /** Starts reading the first groups. */
  prime(): this {
    for (let g = 0; g < Math.min(GROUPS_AHEAD, this.#groups.length); g++) this.#read(g);
    return this;
  }

  /** Every chunk in manifest order with its bytes (undefined when the chunk is missing). */
  async *pieces(): AsyncGenerator<Piece & { bytes: Uint8Array | undefined }> {
    for (let g = 0; g < this.#groups.length; g++) {
      for (let ahead = g; ahead < Math.min(this.#groups.length, g + 1 + GROUPS_AHEAD); ahead++) this.#read(ahead);
      const values = await this.#reads.get(g)!;
      this.#reads.delete(g);
      for (const [i, piece] of this.#groups[g].entries()) yield { ...piece, bytes: values[i] };
    }
  }

  #read(g: number): void {
    if (this.#reads.has(g)) return;
    const keys = this.#groups[g].map((p) => p.chunk.key);
    const read = this.#store.read((tx) => Promise.all(keys.map((k) => tx.get<Uint8Array>(k))));
    read.catch(() => undefined);
    this.#reads.set(g, read);
  }
}

/** A reader of the current saved results (nothing read yet but the manifest), or undefined when none are saved. */
export async function openSavedResults(store: KvStore): Promise<SavedResultsReader | undefined> {
  const manifest = await store.read((tx) => tx.get<ResultsManifest>(KEYS.current));
  return manifest ? new SavedResultsReader(store, manifest) : undefined;
}

/** Column types DuckDB can be told back as they were (anything else is left to Arrow's type). */
const PLAIN_TYPE = /^[A-Z][A-Z0-9_ ]*(\(\d+(, ?\d+)?\))?(\[\])?$/;

const tableName = (t: StoredTable) => `${quoteIdent(t.schema)}.${quoteIdent(t.name)}`;

/** Hears how far a restore is: rows of the saved tables loaded into the engine, of all. */
export type RestoreProgress = (rowsDone: number, rowsTotal: number) => void;

/**
 * Loads saved results into a fresh catalog and makes it the current one; the measure
 * macros are defined again from `measuresSql`. On failure the engine's current results stay.
 * `onProgress` hears after each chunk (a restore of a large run takes tens of seconds).
 */
export async function loadSavedResults(e: WasmEngine, reader: SavedResultsReader, measuresSql: string, onProgress?: RestoreProgress): Promise<ResultsManifest> {
  const { manifest } = reader;
  const rowsTotal = manifest.tables.reduce((sum, t) => sum + t.rows, 0);
  let rowsDone = 0;
  onProgress?.(0, rowsTotal);
  const stage = await openStage(e, new Date(manifest.report.startedAt).toISOString().slice(0, 10));
  try {
    const created = new Set<StoredTable>();
    for (const t of manifest.tables) {
      if (!t.columns.every((c) => PLAIN_TYPE.test(c.type))) continue;
      await e.exec(`create table ${tableName(t)} (${t.columns.map((c) => `${quoteIdent(c.name)} ${c.type}`).join(', ')})`);
      created.add(t);
    }
    // One transaction per table: each insert committed on its own would compress the table's
    // last, partial row group again at every chunk.
    let open: StoredTable | undefined;
    for await (const { table, chunk, bytes } of reader.pieces()) {
      if (!bytes) throw new SavedResultsChanged(`${table.schema}.${table.name}`);
      if (open !== table) {
        if (open) await e.exec('commit');
        await e.exec('begin transaction');
        open = table;
      }
      if (chunk.rows === 0 && created.has(table)) continue;
      // Columns of other types take Arrow's type: the first chunk creates the table.
      e.conn.insertArrowFromIPCStream(bytes, { schema: table.schema, name: table.name, create: !created.has(table) });
      created.add(table);
      rowsDone += chunk.rows;
      onProgress?.(rowsDone, rowsTotal);
      await letReadsProgress();
    }
    if (open) await e.exec('commit');
    for (const t of manifest.tables) {
      const [{ n }] = await e.query<{ n: number }>(`select count(*)::integer as n from ${tableName(t)}`);
      if (n !== t.rows) throw new Error(`the saved table ${t.schema}.${t.name} has ${n} rows, expected ${t.rows}`);
    }
    await e.exec(measuresSql);
    await commitStage(e, stage);
    return manifest;
  } catch (err) {
    await e.exec('rollback').catch(() => undefined);
    await abandonStage(e, stage).catch(() => undefined);
    throw err;
  }
}

/**
 * Reads the saved results and loads them into the engine; undefined when nothing is saved.
 * `early` is a reader started before (while the engine started); it is used when it still
 * names the current results. Results replaced while being read are read again, once.
 */
export async function restoreResults(
  store: KvStore, e: WasmEngine, measuresSql: string, early?: SavedResultsReader, onProgress?: RestoreProgress,
): Promise<ResultsManifest | undefined> {
  for (let attempt = 0; ; attempt++) {
    const current = await openSavedResults(store);
    if (!current) return undefined;
    const reader = early && early.manifest.generation === current.manifest.generation ? early : current;
    early = undefined;
    try {
      return await loadSavedResults(e, reader, measuresSql, onProgress);
    } catch (err) {
      if (!(err instanceof SavedResultsChanged) || attempt > 0) throw err;
    }
  }
}
