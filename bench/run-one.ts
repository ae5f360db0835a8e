/**
 * One benchmark measurement in this process: opens one engine, runs the whole
 * pipeline DAG (export_for_powerbi included) on one data folder, prints one line
 *   BENCH_RESULT {json}
 * and exits. bench/run.ts starts it as a fresh child process per engine and run.
 *
 *   tsx bench/run-one.ts --engine wasm|native|native-mt (--scale N | --data <dir>)
 *        [--runs K] [--setup "<sql>"] [--variant drop-bronze]
 *
 * --runs K  runs the pipeline K times on the SAME engine, like pressing "Run" again
 *           in the app (each run builds a new staging catalog while the previous
 *           results are still attached). Default 1.
 * --setup   SQL executed once after the engine opens (for experiments, e.g.
 *           "set memory_limit='3GB'").
 * --variant a candidate change to the pipeline, applied by rewriting statements
 *           (variants.ts); default: none, the pipeline as shipped.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { expandInputs, inspectPath, loadModelFiles } from '../src/cli/node-inputs.ts';
import { openNodeEngine } from '../src/duckdb/wasm-node.ts';
import type { SqlEngine } from '../src/duckdb/sql-engine.ts';
import { CSV_COPY_OPTIONS } from '../src/pipeline/exports.ts';
import { runPipeline } from '../src/pipeline/runner.ts';
import { quoteLiteral } from '../src/sql/quote.ts';
import type { RunReport } from '../src/pipeline/types.ts';
import type { WasmEngine } from '../src/duckdb/wasm-engine.ts';
import { NativeEngine } from '../src/duckdb/native-engine.ts';
import { DEFAULT_MEMORY, memoryLimitSetting } from '../src/cli/engine-choice.ts';
import { parseVariants, VariantEngine, type Variant } from './variants.ts';

export type EngineKind = 'wasm' | 'native' | 'native-mt';
export const ENGINES: readonly EngineKind[] = ['wasm', 'native', 'native-mt'];

/** The "today" of the generated data (SAMPLE_REFERENCE_DATE in src/pipeline/sample-data.ts). */
export const BENCH_RUN_DATE = '2026-02-01';
export const RESULT_PREFIX = 'BENCH_RESULT ';

export interface StepResult {
  task: string;
  id: string;
  ms: number;
  rows?: number;
  state: string;
  /** After the step: process RSS and (wasm) the WebAssembly memory size, bytes. */
  rss: number;
  wasmHeap?: number;
}

export interface RunResult {
  state: RunReport['state'];
  error?: string;
  /** runPipeline's own duration (ingest_bronze start to commit). */
  totalMs: number;
  /** CPU time (user + system) of this process during runPipeline, all threads. */
  cpuMs: number;
  tasks: Record<string, { ms: number; cpuMs?: number; state: string; rows?: number }>;
  steps: StepResult[];
  exportBytes: number;
  rssAfter: number;
  wasmHeapAfter?: number;
}

export interface OneResult {
  engine: EngineKind;
  data: string;
  variants?: Variant[];
  version?: string;
  threads?: string;
  memoryLimit?: string;
  openMs?: number;
  runs: RunResult[];
  /** Peak resident set size of this process (Linux VmHWM), bytes. */
  peakRss?: number;
  /** Largest WebAssembly memory seen (it never shrinks), bytes. */
  peakWasmHeap?: number;
  /** Set when the process failed outside runPipeline (engine open, setup, ...). */
  fatal?: string;
}

/** Bytes of the DuckDB-WASM linear memory (`WasmEngine.heapBytes`); undefined for any other engine. */
export function wasmHeapBytes(engine: SqlEngine): number | undefined {
  return (engine as Partial<WasmEngine>).heapBytes?.();
}

export async function peakRssBytes(pid: number | 'self' = 'self'): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /VmHWM:\s+(\d+)\s+kB/.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

export async function openEngine(kind: EngineKind): Promise<SqlEngine> {
  switch (kind) {
    // Unlocked: the benchmark's exporter writes files with COPY.
    case 'wasm': return openNodeEngine({ unlocked: true });
    // The command line's engine with its default memory limit: what users run.
    case 'native': return NativeEngine.open({ threads: 1, memoryLimit: await memoryLimitSetting(DEFAULT_MEMORY) });
    case 'native-mt': return NativeEngine.open({ memoryLimit: await memoryLimitSetting(DEFAULT_MEMORY) });
  }
}

/** Generated data of a scale: the shared /work/data/scaleN when present, else bench/.data/scaleN. */
export function dataDir(scale: string): string {
  const shared = `/work/data/scale${scale}`;
  if (existsSync(path.join(shared, 'source_crm'))) return shared;
  return path.resolve(path.dirname(new URL(import.meta.url).pathname), '.data', `scale${scale}`);
}

async function runOnce(
  engine: SqlEngine, inner: SqlEngine, dir: string, models: Awaited<ReturnType<typeof loadModelFiles>>,
): Promise<RunResult> {
  const files = await expandInputs([dir]);
  const inputs = await Promise.all(files.map((f) => inspectPath(f)));
  const out = await mkdtemp(path.join(tmpdir(), 'bench-export-'));
  const steps: StepResult[] = [];
  const seen = new Set<string>();
  const cpuStart = new Map<string, number>();
  const cpuEnd = new Map<string, number>();
  const cpuNow = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  let exportBytes = 0;
  const runCpu = cpuNow();
  try {
    const report = await runPipeline({
      engine,
      models,
      inputs,
      runDate: BENCH_RUN_DATE,
      runId: `bench-${Date.now()}`,
      // Called synchronously between statements: record each finished step once.
      onProgress: (r) => {
        for (const t of r.tasks) {
          if (t.state === 'running' && !cpuStart.has(t.id)) cpuStart.set(t.id, cpuNow());
          if (t.state !== 'running' && cpuStart.has(t.id) && !cpuEnd.has(t.id)) cpuEnd.set(t.id, cpuNow());
          for (const m of t.models) {
            const key = `${t.id}/${m.id}`;
            if (m.state === 'running' || seen.has(key)) continue;
            seen.add(key);
            steps.push({
              task: t.id, id: m.id, ms: m.durationMs ?? 0, rows: m.rows, state: m.state,
              rss: process.memoryUsage().rss, wasmHeap: wasmHeapBytes(inner),
            });
          }
        }
      },
      exporter: async (file, sql) => {
        const target = path.join(out, file.name);
        await sql.exec(`copy (select * from ${file.table}) to ${quoteLiteral(target)} (${CSV_COPY_OPTIONS})`);
        const { size } = await stat(target);
        exportBytes += size;
        return size;
      },
    });
    const cpuMs = cpuNow() - runCpu;
    const tasks: RunResult['tasks'] = {};
    for (const t of report.tasks) {
      const c0 = cpuStart.get(t.id);
      const c1 = cpuEnd.get(t.id);
      tasks[t.id] = { ms: t.durationMs ?? 0, cpuMs: c0 !== undefined && c1 !== undefined ? c1 - c0 : undefined, state: t.state, rows: t.rows };
    }
    return {
      state: report.state,
      error: report.error,
      totalMs: report.durationMs ?? 0,
      cpuMs,
      tasks,
      steps,
      exportBytes,
      rssAfter: process.memoryUsage().rss,
      wasmHeapAfter: wasmHeapBytes(inner),
    };
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

async function main() {
  const { values } = parseArgs({
    options: {
      engine: { type: 'string' },
      scale: { type: 'string' },
      data: { type: 'string' },
      runs: { type: 'string', default: '1' },
      setup: { type: 'string' },
      variant: { type: 'string' },
    },
    allowPositionals: false,
  });
  const kind = values.engine as EngineKind;
  if (!ENGINES.includes(kind) || (!values.scale && !values.data)) {
    console.error('usage: tsx bench/run-one.ts --engine wasm|native|native-mt (--scale N | --data <dir>) [--runs K] [--setup sql]');
    process.exit(2);
  }
  const dir = path.resolve(values.data ?? dataDir(values.scale!));
  const result: OneResult = { engine: kind, data: dir, runs: [] };
  let variants: Variant[] = [];
  try {
    variants = parseVariants(values.variant);
  } catch (e) {
    console.error((e as Error).message);
    process.exit(2);
  }
  if (variants.length) result.variants = variants;
  const print = async () => {
    result.peakRss = await peakRssBytes();
    console.log(RESULT_PREFIX + JSON.stringify(result));
  };
  let engine: SqlEngine | undefined;
  let inner: SqlEngine | undefined;
  try {
    const models = await loadModelFiles();
    const opened = performance.now();
    inner = await openEngine(kind);
    result.openMs = performance.now() - opened;
    if (values.setup) await inner.exec(values.setup);
    engine = variants.length ? new VariantEngine(inner, variants) : inner;
    const [info] = await engine.query<{ version: string; threads: string; memory_limit: string }>(
      "select version() as version, current_setting('threads')::varchar as threads, current_setting('memory_limit')::varchar as memory_limit",
    );
    Object.assign(result, { version: info.version, threads: info.threads, memoryLimit: info.memory_limit });
    for (let i = 0; i < Number(values.runs); i++) {
      const run = await runOnce(engine, inner, dir, models);
      result.runs.push(run);
      result.peakWasmHeap = Math.max(result.peakWasmHeap ?? 0, ...run.steps.map((s) => s.wasmHeap ?? 0), run.wasmHeapAfter ?? 0) || undefined;
      console.error(`[${kind}] run ${i + 1}: ${run.state} in ${(run.totalMs / 1000).toFixed(2)} s${run.error ? ` (${run.error})` : ''}`);
      if (run.state !== 'success') break;
    }
  } catch (e) {
    result.fatal = errorText(e);
  }
  if (inner instanceof NativeEngine) inner.close();
  await print();
}

// Only when started as a script (run.ts imports the helpers above).
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  main().catch(async (e) => {
    console.log(RESULT_PREFIX + JSON.stringify({ fatal: errorText(e), runs: [] }));
    process.exit(1);
  });
}
