/**
 * A query result read in record batches straight from DuckDB-WASM, so a table of
 * millions of rows never sits in memory whole: DuckDB streams the scan, and each
 * fetch returns one chunk (about 2,048 rows) as an Arrow IPC message.
 */
import { RecordBatchReader, type RecordBatch } from 'apache-arrow';
import type { ArrowBatchStream, SqlValue } from '../duckdb/sql-engine.ts';
import type { WasmEngine } from '../duckdb/wasm-engine.ts';

/** The end-of-stream marker of the Arrow IPC stream format. */
const END_OF_STREAM = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);

export class QueryStream implements ArrowBatchStream {
  /** The Arrow IPC schema message. */
  readonly header: Uint8Array;
  #engine: WasmEngine;
  #conn: number;
  #statement?: number;
  #done = false;
  #reader?: RecordBatchReader;

  /** Starts `sql` on the engine's connection; `params` bind `?` placeholders. */
  constructor(engine: WasmEngine, sql: string, params: SqlValue[] = []) {
    this.#engine = engine;
    this.#conn = engine.conn.useUnsafe((_bindings, id) => id);
    const db = engine.db;
    if (params.length > 0) {
      this.#statement = db.createPrepared(this.#conn, sql);
      try {
        this.header = db.sendPrepared(this.#conn, this.#statement, params);
      } catch (e) {
        db.closePrepared(this.#conn, this.#statement);
        throw e;
      }
    } else {
      let header = db.startPendingQuery(this.#conn, sql, true);
      while (header === null) header = db.pollPendingQuery(this.#conn);
      this.header = header;
    }
  }

  /** The next record batch message, or null at the end. */
  next(): Uint8Array | null {
    if (this.#done) return null;
    let message: Uint8Array | null;
    do message = this.#engine.db.fetchQueryResults(this.#conn);
    while (message === null);
    if (message.length === 0) this.close();
    return this.#done ? null : message;
  }

  /** Up to `count` batch messages as one self-contained IPC stream, or null at the end. */
  async nextIpc(count: number): Promise<Uint8Array | null> {
    const parts = [this.header];
    for (let i = 0; i < count; i++) {
      const message = this.next();
      if (!message) break;
      parts.push(message);
    }
    if (parts.length === 1) return null;
    parts.push(END_OF_STREAM);
    return concatBytes(parts);
  }

  /** The batches decoded by Apache Arrow, read lazily; its schema is known at once. */
  batches(): RecordBatchReader {
    const messages = function* (stream: QueryStream) {
      yield stream.header;
      for (let m = stream.next(); m; m = stream.next()) yield m;
    };
    return (this.#reader ??= RecordBatchReader.from(messages(this)).open() as RecordBatchReader);
  }

  get schema() {
    return this.batches().schema;
  }

  async nextBatch(): Promise<RecordBatch | null> {
    const next = this.batches().next() as IteratorResult<RecordBatch>;
    return next.done ? null : next.value;
  }

  /** Stops reading; a stream left open is cancelled so the connection is free again. */
  close(): void {
    if (this.#done) return;
    this.#done = true;
    this.#engine.db.cancelPendingQuery(this.#conn);
    if (this.#statement !== undefined) this.#engine.db.closePrepared(this.#conn, this.#statement);
  }
}

export function concatBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
