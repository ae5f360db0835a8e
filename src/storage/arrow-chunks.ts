/**
 * Cuts a query result, read as a stream of Arrow IPC messages, into chunks of about
 * `targetBytes`: each chunk is a complete IPC stream (the schema message, some record
 * batches, the end marker), so it can be stored as one value and loaded on its own.
 * No chunk grows with the table: only one chunk is held at a time.
 */
import { MessageReader } from 'apache-arrow';
import { concatBytes } from '../exports/query-stream.ts';

/** About 4 MiB per chunk: far below any browser's limit for one value, and few writes per table. */
export const CHUNK_BYTES = 4 * 1024 * 1024;

/** The end-of-stream marker of the Arrow IPC stream format. */
const END_OF_STREAM = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);

/** One chunk: a self-contained Arrow IPC stream and the rows in it. */
export interface ArrowChunk {
  bytes: Uint8Array;
  rows: number;
}

/** Rows in the record batches of some IPC messages (read from their headers, no data decoded). */
export function messageRows(messages: Uint8Array): number {
  const reader = new MessageReader(messages);
  let rows = 0;
  for (let message = reader.readMessage(); message; message = reader.readMessage()) {
    if (message.isRecordBatch()) rows += Number(message.header().length);
    reader.readMessageBody(message.bodyLength);
  }
  return rows;
}

/**
 * The chunks of a result whose schema message is `header` and whose further messages
 * come from `next()` (null at the end). A chunk closes before the message that would
 * take it past `targetBytes` (a single larger message makes a chunk of its own). An
 * empty result still gives one chunk, the schema alone, so the table can be created from it.
 */
export function* arrowChunks(header: Uint8Array, next: () => Uint8Array | null, targetBytes = CHUNK_BYTES): Generator<ArrowChunk> {
  let parts: Uint8Array[] = [];
  let size = 0;
  let rows = 0;
  let emitted = false;
  const close = (): ArrowChunk => {
    const chunk = { bytes: concatBytes([header, ...parts, END_OF_STREAM]), rows };
    parts = [];
    size = 0;
    rows = 0;
    emitted = true;
    return chunk;
  };
  for (let message = next(); message; message = next()) {
    if (parts.length > 0 && header.length + size + message.length + END_OF_STREAM.length > targetBytes) yield close();
    parts.push(message);
    size += message.length;
    rows += messageRows(message);
  }
  if (parts.length > 0 || !emitted) yield close();
}
