/**
 * Preloaded into the command line (`node --import tsx --import bench/cli-probe.ts
 * src/cli/pipeline.ts ...`) so the benchmark and the output comparison see inside
 * the real `npm run pipeline` without changing it. It wraps the engine class's methods
 * and writes PROBE_OUT (JSON) when the process ends:
 * - the wasm heap at the end (DuckDB-WASM's memory only grows: that is its peak);
 * - wall clock and process CPU before and after every engine call, so bench/run.ts can
 *   give each task of run.json its CPU time;
 * - with PROBE_DUMP=1, after a successful run: every row of every `rejects.*` table and
 *   every validation sample (query results with a `_violations` column), with their lines.
 * PROBE_ENGINE_MODULE names the file that exports WasmEngine (another checkout's, when the
 * comparison runs an older revision).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

interface ProbeEngine {
  db: { mod?: { HEAPU8?: Uint8Array } };
  query(sql: string): Promise<Record<string, unknown>[]>;
}

export interface ProbeOutput {
  /** performance.timeOrigin: when the process started (epoch ms). */
  processStart: number;
  /** First engine call (epoch ms): the engine is open and the inputs are inspected. */
  firstCall?: number;
  exitAt?: number;
  /** Process CPU (user + system, ms) at the end. */
  exitCpu?: number;
  exitCode?: number;
  /** WebAssembly memory size at the end, bytes (it never shrinks). */
  wasmHeap?: number;
  /** [epoch ms, process CPU ms] before and after engine calls. */
  samples: [number, number][];
  /** PROBE_DUMP: `rejects.<table>` -> rows, and the validation samples in the order they came. */
  rejects?: Record<string, Record<string, unknown>[]>;
  validationSamples?: Record<string, unknown>[][];
  dumpError?: string;
}

const HERE = path.dirname(fileURLToPath(import.meta.url));
const target = process.env.PROBE_OUT;
const dump = process.env.PROBE_DUMP === '1';
const modulePath = process.env.PROBE_ENGINE_MODULE ?? path.join(HERE, '../src/duckdb/wasm-engine.ts');

const out: ProbeOutput = { processStart: performance.timeOrigin, samples: [] };
let engine: ProbeEngine | undefined;
const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const sample = () => out.samples.push([Date.now(), cpuNow()]);
const remember = (e: ProbeEngine) => {
  engine = e;
};

function toPlain(value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

function plainRows(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, toPlain(v)])));
}

if (target) {
  const { WasmEngine } = (await import(pathToFileURL(modulePath).href)) as { WasmEngine: { prototype: Record<string, unknown> } };
  const proto = WasmEngine.prototype;
  for (const name of ['exec', 'execOne', 'query', 'table', 'ipc']) {
    const original = proto[name] as ((...args: unknown[]) => unknown) | undefined;
    if (typeof original !== 'function') continue;
    proto[name] = function (this: ProbeEngine, ...args: unknown[]) {
      remember(this);
      out.firstCall ??= Date.now();
      sample();
      const result = original.apply(this, args);
      if (result instanceof Promise) {
        return result.then((value: unknown) => {
          sample();
          if (dump && name === 'query' && Array.isArray(value) && value.length && '_violations' in value[0]) {
            (out.validationSamples ??= []).push(plainRows(value as Record<string, unknown>[]));
          }
          return value;
        });
      }
      sample();
      return result;
    };
  }

  let dumped = false;
  process.on('beforeExit', () => {
    if (!dump || dumped || !engine) return;
    dumped = true;
    void dumpRejects(engine);
  });
  process.on('exit', (code) => {
    out.exitAt = Date.now();
    out.exitCpu = cpuNow();
    out.exitCode = code;
    out.wasmHeap = engine?.db.mod?.HEAPU8?.byteLength;
    writeFileSync(target, JSON.stringify(out));
  });
}

async function dumpRejects(e: ProbeEngine) {
  try {
    out.rejects = {};
    const tables = await e.query(
      "select table_name as name from duckdb_tables() where database_name = current_database() and schema_name = 'rejects' order by 1",
    );
    for (const { name } of tables) {
      const rows = await e.query(`select * from rejects."${String(name).replaceAll('"', '""')}"`);
      out.rejects[String(name)] = plainRows(rows);
    }
  } catch (err) {
    out.dumpError = err instanceof Error ? err.message : String(err);
  }
}
