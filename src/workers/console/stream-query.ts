/**
 * Runs one statement as a DuckDB-WASM pending query and streams its result, yielding
 * to the event loop between steps so that a cancel request can arrive. DuckDB
 * executes a pending query in tasks (each poll works for a while, then returns), so
 * cancelling takes effect between two tasks, not only between statements.
 */
import { Message } from 'apache-arrow';
import { CancelledError } from '../../duckdb/sql-engine.ts';
import type { WasmEngine } from '../../duckdb/wasm-engine.ts';

/** The end-of-stream marker of the Arrow IPC stream format. */
const END_OF_STREAM = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);
/** Work this long at most before giving queued messages (a cancel) a chance. */
const SLICE_MS = 40;

export interface StreamOptions {
  /** Stop fetching once this many rows arrived (the result is then marked capped). */
  maxRows: number;
  isCancelled?: () => boolean;
}

export interface StreamedResult {
  /** An Arrow IPC stream: the schema message, record batches, the end marker. */
  chunks: Uint8Array[];
  rows: number;
  /** True when the statement had more rows than were fetched. */
  capped: boolean;
}

const pause = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Streams the result of `sql` (one statement) on the engine's connection. */
export async function streamQuery(e: WasmEngine, sql: string, opts: StreamOptions): Promise<StreamedResult> {
  const conn = e.conn.useUnsafe((_bindings, id) => id);
  const db = e.db;
  const cancelled = () => opts.isCancelled?.() ?? false;
  let header = db.startPendingQuery(conn, sql, true);
  while (header === null) {
    await pause();
    if (cancelled()) {
      db.cancelPendingQuery(conn);
      throw new CancelledError();
    }
    header = db.pollPendingQuery(conn);
  }
  const chunks: Uint8Array[] = [header];
  let rows = 0;
  let capped = false;
  let sliceStart = performance.now();
  for (;;) {
    if (performance.now() - sliceStart > SLICE_MS) {
      await pause();
      if (cancelled()) throw new CancelledError();
      sliceStart = performance.now();
    }
    const message = db.fetchQueryResults(conn);
    if (message === null) continue;
    if (message.length === 0) break;
    if (rows >= opts.maxRows) {
      capped = true;
      break;
    }
    chunks.push(message);
    rows += batchRows(message);
  }
  // A fresh copy: the chunks are transferred to the page, which detaches their buffers.
  chunks.push(END_OF_STREAM.slice());
  return { chunks, rows, capped };
}

/** The row count of one record batch message, read from its metadata only. */
function batchRows(message: Uint8Array): number {
  const view = new DataView(message.buffer, message.byteOffset, message.byteLength);
  // A message starts with the continuation marker and the metadata length.
  const continued = view.getUint32(0, true) === 0xffffffff;
  const length = view.getInt32(continued ? 4 : 0, true);
  const start = continued ? 8 : 4;
  const header = Message.decode(message.subarray(start, start + length)).header() as { length?: number | bigint } | null;
  return Number(header?.length ?? 0);
}
