/**
 * The one SQL interface the pipeline needs. DuckDB-WASM (browser worker and Node)
 * and native DuckDB (command line) implement it; the export writers also read
 * results as Arrow record batches through it.
 */
import type { RecordBatch, Schema } from 'apache-arrow';

export type SqlValue = string | number | boolean | null;
export type Row = Record<string, SqlValue>;

export interface SqlEngine {
  /** Runs one or more statements, discarding results. */
  exec(sql: string): Promise<void>;
  /**
   * Runs exactly one statement, discarding results: DuckDB prepares it first and refuses
   * a text that holds more than one. For SQL that is not all ours (models).
   */
  execOne(sql: string): Promise<void>;
  /** Runs a query; `params` bind `?` placeholders (user values never go into the text). */
  query<T extends Row = Row>(sql: string, params?: SqlValue[]): Promise<T[]>;
  /** Runs `copy (<select>) to <file>` and returns the bytes written. */
  copyToBytes(select: string, options: string): Promise<Uint8Array>;
}

/**
 * A query result read a record batch at a time (DuckDB's chunks, about 2,048 rows each),
 * so that a table of millions of rows never sits in memory whole.
 */
export interface ArrowBatchStream {
  /** The Arrow schema, known before the first batch. */
  readonly schema: Schema;
  /** The next batch, or null at the end. */
  nextBatch(): Promise<RecordBatch | null>;
  /** Up to `count` batches as one self-contained Arrow IPC stream, or null at the end. */
  nextIpc(count: number): Promise<Uint8Array | null>;
  /** Stops reading (a stream left open is cancelled). */
  close(): void;
}

/** An engine the export writers can read from: every engine of this project. */
export interface ExportEngine extends SqlEngine {
  /** Starts `sql` (`params` bind `?` placeholders) and reads it as Arrow. */
  streamArrow(sql: string, params?: SqlValue[]): Promise<ArrowBatchStream>;
}

/** Thrown when a run is cancelled between two statements. */
export class CancelledError extends Error {
  constructor() {
    super('cancelled by the user');
    this.name = 'CancelledError';
  }
}

/** Converts Arrow/DuckDB cell values to plain JSON-safe values. */
export function plainValue(value: unknown): SqlValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value.toISOString();
  return String(value);
}
