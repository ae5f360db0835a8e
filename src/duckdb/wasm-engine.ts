/**
 * SqlEngine over DuckDB-WASM's synchronous bindings, the same class in the browser
 * worker and in Node. Only types are imported here, so this module adds no weight.
 */
import type { DuckDBBindings, DuckDBConnection } from 'duckdb-browser-blocking';
import type { Table } from 'apache-arrow';
import { plainValue, type ExportEngine, type Row, type SqlValue } from './sql-engine.ts';
import { quoteIdent, quoteLiteral } from '../sql/quote.ts';
import { QueryStream } from '../exports/query-stream.ts';

/** Settings applied right after open: extensions would be fetched from the internet. */
export const OFFLINE_SETTINGS = 'set autoinstall_known_extensions=false; set autoload_known_extensions=false;';

/**
 * DuckDB's own memory limit, below the wasm heap's 4 GiB. Its default (3.1 GiB) stopped a run of
 * 1.58 GB of CSV in Chromium ("could not allocate block … 3.1 GiB/3.1 GiB used") with the heap at
 * 3.4 GiB; with 3.7 GiB the same run succeeded, the heap at 3.5 GiB (bench/README.md, "How much
 * CSV a tab takes"). The rest of the heap is for what DuckDB does not count.
 */
export const MEMORY_SETTINGS = "set memory_limit = '3.7GiB';";

/** Where the input files are registered: once locked, the only files SQL can read. */
export const INPUT_DIR = 'inputs/';

/**
 * Locks the engine once it is open: no network and no file system except the files
 * registered under INPUT_DIR (registered later too), and no setting can change after
 * (DuckDB refuses `set`, and the lock itself cannot be lifted). Attaching in-memory
 * catalogs, `use`, `set variable`, macros and transactions keep working.
 */
export const lockSettings = (inputDir: string) =>
  `set allowed_directories = [${quoteLiteral(inputDir)}]; set enable_external_access = false; set lock_configuration = true;`;
export const LOCK_SETTINGS = lockSettings(INPUT_DIR);

export class WasmEngine implements ExportEngine {
  readonly db: DuckDBBindings;
  readonly conn: DuckDBConnection;
  private exportCounter = 0;

  /** `conn`: an extra connection of an engine that is open already (see `openReader`); its settings are the database's. */
  constructor(db: DuckDBBindings, conn?: DuckDBConnection) {
    this.db = db;
    this.conn = conn ?? db.connect();
    if (!conn) this.conn.query(OFFLINE_SETTINGS + MEMORY_SETTINGS);
  }

  /**
   * A second connection to the same database, on the same current catalog: a table can be
   * streamed out through it while this connection runs other statements between its
   * chunks (one connection's open stream ends when that connection runs anything else).
   * No `set` runs on it: the settings are the database's, locked ones included. Close it after.
   */
  async openReader(): Promise<WasmEngine> {
    const [{ name }] = await this.query<{ name: string }>('select current_database() as name');
    const reader = new WasmEngine(this.db, this.db.connect());
    reader.conn.query(`use ${quoteIdent(name)}`);
    return reader;
  }

  /** The size of the engine's wasm heap in bytes; it only grows, so it is the peak since the engine opened. */
  heapBytes(): number {
    // The bindings' class has the Emscripten module; their interface does not name it.
    return (this.db as unknown as { mod: { HEAPU8: Uint8Array } }).mod.HEAPU8.byteLength;
  }

  /** Closes this engine's connection (the database stays open). */
  close(): void {
    this.conn.close();
  }

  /** Applies LOCK_SETTINGS: from here on SQL reaches no URL and no file but the registered inputs. */
  lock(): this {
    this.conn.query(LOCK_SETTINGS);
    return this;
  }

  async exec(sql: string): Promise<void> {
    this.conn.query(sql);
  }

  async execOne(sql: string): Promise<void> {
    // DuckDB prepares one statement only ("Cannot prepare multiple statements at once").
    const stmt = this.conn.prepare(sql);
    try {
      stmt.query();
    } finally {
      stmt.close();
    }
  }

  async query<T extends Row = Row>(sql: string, params?: SqlValue[]): Promise<T[]> {
    return tableToRows<T>(this.table(sql, params));
  }

  /** The Arrow result, for callers that ship it across threads as IPC bytes. */
  table(sql: string, params?: SqlValue[]): Table {
    if (!params || params.length === 0) return this.conn.query(sql);
    const stmt = this.conn.prepare(sql);
    try {
      return stmt.query(...params);
    } finally {
      stmt.close();
    }
  }

  /** A query result read in record batches, straight from DuckDB-WASM's chunks. */
  async streamArrow(sql: string, params?: SqlValue[]): Promise<QueryStream> {
    return new QueryStream(this, sql, params);
  }

  /** Arrow IPC file bytes of a query result (transferable). */
  ipc(sql: string): Uint8Array {
    return this.conn.useUnsafe((bindings, id) => bindings.runQuery(id, sql));
  }

  /**
   * Browser runtime only: in Node, DuckDB-WASM's COPY writes to the real file system instead.
   * Needs an engine that is not locked (benchmarks).
   */
  async copyToBytes(select: string, options: string): Promise<Uint8Array> {
    const name = `_export_${++this.exportCounter}.out`;
    this.conn.query(`copy (${select}) to ${quoteLiteral(name)} (${options})`);
    try {
      return this.db.copyFileToBuffer(name);
    } finally {
      this.db.dropFile(name);
    }
  }
}

export function tableToRows<T extends Row>(table: Table): T[] {
  const names = table.schema.fields.map((f) => f.name);
  const columns = names.map((_, i) => table.getChildAt(i));
  const rows: T[] = new Array(table.numRows);
  for (let r = 0; r < table.numRows; r++) {
    const row: Row = {};
    for (let c = 0; c < names.length; c++) row[names[c]] = plainValue(columns[c]?.get(r));
    rows[r] = row as T;
  }
  return rows;
}
