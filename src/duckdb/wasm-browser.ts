/**
 * Opens DuckDB-WASM inside our module worker: the synchronous bindings run right
 * here, so no second worker is spawned. Only the `eh` bundle is shipped and cached
 * (every browser we target has wasm exceptions); no `coi` build, since threads need
 * cross-origin isolation, which would break iframe embedding.
 */
import { BROWSER_RUNTIME, VoidLogger, createDuckDB } from 'duckdb-browser-blocking';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import { WasmEngine } from './wasm-engine.ts';

export async function openBrowserEngine(): Promise<WasmEngine> {
  const bundle = { mainModule: ehWasm, mainWorker: '' };
  const db = await createDuckDB({ mvp: bundle, eh: bundle }, new VoidLogger(), BROWSER_RUNTIME);
  await db.instantiate(() => {});
  db.open({});
  // Locked before any other SQL: user files are registered under INPUT_DIR (src/workers/run/run-api.ts).
  return new WasmEngine(db).lock();
}
