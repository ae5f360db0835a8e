/**
 * SqlEngine over native DuckDB (@duckdb/node-api 1.4.3, the same DuckDB as DuckDB-WASM
 * 1.32), for inputs that outgrow a browser tab: every core, a memory limit, and a
 * folder to spill to. Results reach the export writers as the same Arrow batches
 * DuckDB-WASM gives (native-arrow.ts), so both engines write the same bytes. Locked like
 * DuckDB-WASM once the inputs' folder is known (lock()).
 */
import { DuckDBInstance, type DuckDBConnection, type DuckDBPreparedStatement, type DuckDBResult } from '@duckdb/node-api';
import { Table, tableToIPC, type RecordBatch } from 'apache-arrow';
import { randomUUID } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { quoteLiteral } from '../sql/quote.ts';
import { ChunkConverter } from './native-arrow.ts';
import { safeThreadCount } from './native-threads.ts';
import type { ArrowBatchStream, ExportEngine, Row, SqlValue } from './sql-engine.ts';
import { lockSettings, tableToRows } from './wasm-engine.ts';

export interface NativeOptions {
  /** DuckDB `threads`; undefined: one per core; never two (safeThreadCount). */
  threads?: number;
  /** DuckDB `memory_limit`, e.g. `17.5GiB`; undefined: DuckDB's default (80 % of RAM). */
  memoryLimit?: string;
  /** Where DuckDB spills what does not fit the memory limit. */
  tempDirectory?: string;
}

/** The settings in effect, as DuckDB reports them. */
export interface NativeSettings {
  threads: number;
  memoryLimit: string;
  tempDirectory: string;
}

export class NativeEngine implements ExportEngine {
  readonly #instance: DuckDBInstance;
  readonly #conn: DuckDBConnection;

  private constructor(instance: DuckDBInstance, conn: DuckDBConnection) {
    this.#instance = instance;
    this.#conn = conn;
  }

  static async open(opts: NativeOptions = {}): Promise<NativeEngine> {
    // Extensions stay off as in the browser (parquet, json and icu are built in here anyway): nothing is fetched.
    const config: Record<string, string> = { autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' };
    config.threads = String(safeThreadCount(opts.threads));
    if (opts.memoryLimit !== undefined) config.memory_limit = opts.memoryLimit;
    if (opts.tempDirectory !== undefined) config.temp_directory = opts.tempDirectory;
    const instance = await DuckDBInstance.create(':memory:', config);
    return new NativeEngine(instance, await instance.connect());
  }

  async settings(): Promise<NativeSettings> {
    const [row] = await this.query<{ threads: number; memory: string; temp: string }>(
      `select current_setting('threads')::integer as threads, current_setting('memory_limit') as memory,
              current_setting('temp_directory') as temp`,
    );
    return { threads: row.threads, memoryLimit: row.memory, tempDirectory: row.temp };
  }

  async exec(sql: string): Promise<void> {
    // Runs every statement of a multi-statement text, like the DuckDB-WASM connection.
    await this.#conn.run(sql);
  }

  async execOne(sql: string): Promise<void> {
    // DuckDB prepares one statement only: a text that holds more is refused, as in DuckDB-WASM.
    const statement = await this.#conn.prepare(sql);
    try {
      await statement.run();
    } finally {
      statement.destroySync();
    }
  }

  /**
   * The same lock as DuckDB-WASM's (LOCK_SETTINGS): from here on SQL reaches no URL and no
   * file but those in `inputDir` (an absolute folder of links to the inputs), and no setting
   * can change. Spilling to the temp directory set at open goes on.
   */
  async lock(inputDir: string): Promise<this> {
    await this.#conn.run(lockSettings(path.join(path.resolve(inputDir), path.sep)));
    return this;
  }

  async query<T extends Row = Row>(sql: string, params?: SqlValue[]): Promise<T[]> {
    const result = params?.length ? await this.#withStatement(sql, params, (s) => s.run()) : await this.#conn.run(sql);
    const converter = new ChunkConverter(result.columnNames(), result.columnTypes());
    const batches: RecordBatch[] = [];
    for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
      batches.push(converter.toBatch(chunk));
    }
    // The same conversion as DuckDB-WASM's rows: the same values from either engine.
    return tableToRows<T>(new Table(converter.schema, batches));
  }

  async streamArrow(sql: string, params?: SqlValue[]): Promise<ArrowBatchStream> {
    const result = params?.length ? await this.#withStatement(sql, params, (s) => s.stream()) : await this.#conn.stream(sql);
    return new NativeBatchStream(result);
  }

  /** Writes to the system's temporary folder: needs an engine that is not locked (benchmarks). */
  async copyToBytes(select: string, options: string): Promise<Uint8Array> {
    const file = path.join(tmpdir(), `retail-native-export-${randomUUID()}.out`);
    try {
      await this.#conn.run(`copy (${select}) to ${quoteLiteral(file)} (${options})`);
      return new Uint8Array(await readFile(file));
    } finally {
      await rm(file, { force: true });
    }
  }

  /** Another connection to the same database: benchmarks poll memory through it while a statement runs. */
  async connect(): Promise<DuckDBConnection> {
    return this.#instance.connect();
  }

  close(): void {
    this.#conn.closeSync();
    this.#instance.closeSync();
  }

  async #withStatement<R>(sql: string, params: SqlValue[], run: (s: DuckDBPreparedStatement) => Promise<R>): Promise<R> {
    const statement = await this.#conn.prepare(sql);
    try {
      params.forEach((value, i) => bind(statement, i + 1, value));
      return await run(statement);
    } finally {
      statement.destroySync();
    }
  }
}

/** Whole numbers bind as BIGINT, other numbers as DOUBLE, text as VARCHAR. */
function bind(statement: DuckDBPreparedStatement, index: number, value: SqlValue): void {
  if (value === null) statement.bindNull(index);
  else if (typeof value === 'string') statement.bindVarchar(index, value);
  else if (typeof value === 'boolean') statement.bindBoolean(index, value);
  else if (Number.isSafeInteger(value)) statement.bindBigInt(index, BigInt(value));
  else statement.bindDouble(index, value);
}

/** A streaming result read chunk by chunk, each chunk one Arrow record batch. */
class NativeBatchStream implements ArrowBatchStream {
  readonly #result: DuckDBResult;
  readonly #converter: ChunkConverter;
  #done = false;

  constructor(result: DuckDBResult) {
    this.#result = result;
    this.#converter = new ChunkConverter(result.columnNames(), result.columnTypes());
  }

  get schema() {
    return this.#converter.schema;
  }

  async nextBatch(): Promise<RecordBatch | null> {
    if (this.#done) return null;
    const chunk = await this.#result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) {
      this.#done = true;
      return null;
    }
    return this.#converter.toBatch(chunk);
  }

  async nextIpc(count: number): Promise<Uint8Array | null> {
    const batches: RecordBatch[] = [];
    for (let batch = batches.length < count ? await this.nextBatch() : null; batch; ) {
      batches.push(batch);
      batch = batches.length < count ? await this.nextBatch() : null;
    }
    return batches.length ? tableToIPC(new Table(this.schema, batches), 'stream') : null;
  }

  close(): void {
    // The connection's next statement ends a stream left unread.
    this.#done = true;
  }
}
