/**
 * Opens DuckDB-WASM in Node: the same .wasm and the same SQL as the browser worker,
 * locked the same way; files on disk are read through names registered under INPUT_DIR
 * (registerInputFiles in src/cli/node-inputs.ts).
 */
import * as duckdb from '@duckdb/duckdb-wasm/blocking';
import { createRequire } from 'node:module';
import path from 'node:path';
import { WasmEngine } from './wasm-engine.ts';

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
