/** Opens DuckDB-WASM in Node: the same .wasm and the same SQL as the browser worker. */
import * as duckdb from '@duckdb/duckdb-wasm/blocking';
import { createRequire } from 'node:module';
import path from 'node:path';
import { WasmEngine } from './wasm-engine.ts';

const require = createRequire(import.meta.url);

export function wasmDistDir(): string {
  return path.dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-eh.wasm'));
}

export async function openNodeEngine(): Promise<WasmEngine> {
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
  return new WasmEngine(db);
}
