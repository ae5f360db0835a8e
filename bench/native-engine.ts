/**
 * SqlEngine over native DuckDB (@duckdb/node-api, same DuckDB core as DuckDB-WASM 1.32),
 * the benchmark baseline: the pipeline runs the SAME SQL through it.
 */
import { DuckDBInstance, type DuckDBConnection, type DuckDBPreparedStatement } from '@duckdb/node-api';
import { randomUUID } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { plainValue, type Row, type SqlEngine, type SqlValue } from '../src/duckdb/sql-engine.ts';
import { quoteLiteral } from '../src/sql/quote.ts';
import { OFFLINE_SETTINGS } from '../src/duckdb/wasm-engine.ts';

export interface NativeOptions {
  /** `threads` setting; undefined keeps DuckDB's default (one per core). */
  threads?: number;
}

export class NativeEngine implements SqlEngine {
  readonly instance: DuckDBInstance;
  readonly conn: DuckDBConnection;

  private constructor(instance: DuckDBInstance, conn: DuckDBConnection) {
    this.instance = instance;
    this.conn = conn;
  }

  static async open(opts: NativeOptions = {}): Promise<NativeEngine> {
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    const engine = new NativeEngine(instance, conn);
    // Same settings as WasmEngine applies on open.
    await engine.exec(OFFLINE_SETTINGS);
    if (opts.threads !== undefined) await engine.exec(`set threads = ${Math.trunc(opts.threads)};`);
    return engine;
  }

  async exec(sql: string): Promise<void> {
    // duckdb_query runs every statement of a multi-statement text, like the WASM connection.
    await this.conn.run(sql);
  }

  async execOne(sql: string): Promise<void> {
    const stmt = await this.conn.prepare(sql);
    try {
      await stmt.run();
    } finally {
      stmt.destroySync();
    }
  }

  async query<T extends Row = Row>(sql: string, params?: SqlValue[]): Promise<T[]> {
    let reader;
    if (!params || params.length === 0) {
      reader = await this.conn.runAndReadAll(sql);
    } else {
      const stmt = await this.conn.prepare(sql);
      try {
        params.forEach((value, i) => bindParam(stmt, i + 1, value));
        reader = await stmt.runAndReadAll();
      } finally {
        stmt.destroySync();
      }
    }
    return reader.getRowObjectsJS().map((raw) => {
      const row: Row = {};
      for (const [name, value] of Object.entries(raw)) row[name] = plainValue(value);
      return row as T;
    });
  }

  async copyToBytes(select: string, options: string): Promise<Uint8Array> {
    const file = path.join(tmpdir(), `duckdb-native-export-${randomUUID()}.out`);
    try {
      await this.conn.run(`copy (${select}) to ${quoteLiteral(file)} (${options})`);
      return new Uint8Array(await readFile(file));
    } finally {
      await rm(file, { force: true });
    }
  }

  close(): void {
    this.conn.closeSync();
    this.instance.closeSync();
  }
}

function bindParam(stmt: DuckDBPreparedStatement, index: number, value: SqlValue) {
  if (value === null) stmt.bindNull(index);
  else if (typeof value === 'string') stmt.bindVarchar(index, value);
  else if (typeof value === 'boolean') stmt.bindBoolean(index, value);
  else if (Number.isSafeInteger(value)) stmt.bindBigInt(index, BigInt(value));
  else stmt.bindDouble(index, value);
}
