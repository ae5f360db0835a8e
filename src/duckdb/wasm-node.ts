/**
 * Opens DuckDB-WASM in Node: the same .wasm and the same SQL as the browser worker,
 * locked the same way; files on disk are read through names registered under INPUT_DIR.
 */
import * as duckdb from '@duckdb/duckdb-wasm/blocking';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { SourceInput } from '../pipeline/ingest.ts';
import { INPUT_DIR, WasmEngine } from './wasm-engine.ts';

const require = createRequire(import.meta.url);

export function wasmDistDir(): string {
  return path.dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-eh.wasm'));
}

/**
 * @param options.unlocked leaves the file system and the network open: only for benchmarks
 *   that read and write files directly (bench/); the CLI and the tests use the locked engine.
 */
export async function openNodeEngine(options: { unlocked?: boolean } = {}): Promise<WasmEngine> {
  const dist = wasmDistDir();
  const db = await duckdb.createDuckDB(
    {
      mvp: { mainModule: path.join(dist, 'duckdb-mvp.wasm'), mainWorker: '' },
      eh: { mainModule: path.join(dist, 'duckdb-eh.wasm'), mainWorker: '' },
    },
    new duckdb.VoidLogger(),
    duckdb.NODE_RUNTIME,
  );
  await db.instantiate(() => {});
  db.open({});
  const engine = new WasmEngine(db);
  return options.unlocked ? engine : engine.lock();
}

let registered = 0;

/**
 * Registers a file on disk under INPUT_DIR, where a locked engine may read it; returns
 * the name SQL reads it by (a plain name: no glob characters of the file's own name).
 */
export function registerNodeFile(engine: WasmEngine, file: string): string {
  const name = `${INPUT_DIR}node_${++registered}.csv`;
  engine.db.registerFileURL(name, path.resolve(file), duckdb.DuckDBDataProtocol.NODE_FS, false);
  return name;
}

/** The inputs with their files (and line maps) registered for the engine. */
export function registerNodeInputs(engine: WasmEngine, inputs: SourceInput[]): SourceInput[] {
  return inputs.map((input) => ({
    ...input,
    path: registerNodeFile(engine, input.path),
    lineMapPath: input.lineMapPath ? registerNodeFile(engine, input.lineMapPath) : undefined,
  }));
}
