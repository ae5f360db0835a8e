/**
 * The one SQL interface the pipeline needs. DuckDB-WASM (browser worker and Node)
 * and native DuckDB (benchmark baseline) implement it.
 */
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
