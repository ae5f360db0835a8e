/**
 * The Node half of bench/exports.ts: one scale in this process. Builds the results
 * (the wasm pipeline, or native DuckDB when wasm runs out of memory), then times our
 * exports on DuckDB-WASM and samples the process and wasm memory while they run.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openNodeEngine } from '../src/duckdb/wasm-node.ts';
import { expandInputs, inspectPath, loadModelFiles } from '../src/cli/node-inputs.ts';
import { checkExportTable } from '../src/exports/checks.ts';
import { initParquetNode } from '../src/exports/node.ts';
import { writePackage } from '../src/exports/package.ts';
import { describeTable, exportQuery, tableBytes } from '../src/exports/table-export.ts';
import { ZipWriter } from '../src/exports/zip-writer.ts';
import { exportFiles, type ExportFormat } from '../src/pipeline/exports.ts';
import { runPipeline } from '../src/pipeline/runner.ts';
import { quoteLiteral } from '../src/sql/quote.ts';
import { openStage } from '../src/pipeline/stage.ts';
import type { RunReport } from '../src/pipeline/types.ts';
import type { WasmEngine } from '../src/duckdb/wasm-engine.ts';
import { NativeEngine } from '../src/duckdb/native-engine.ts';
import { BENCH_RUN_DATE, wasmHeapBytes } from './run-one.ts';

export interface Measure {
  name: string;
  rows: number;
  bytes: number;
  ms: number;
  cpuMs: number;
  rssBefore: number;
  peakRss: number;
  wasmBefore: number;
  wasmAfter: number;
}

export interface NodeResult {
  scale: string;
  builtBy: string;
  factRows: number;
  measures: Measure[];
  wasmHeap: number;
  load: number[];
}

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

interface Built {
  engine: WasmEngine;
  builtBy: string;
  report: RunReport;
}

/**
 * Builds the results in DuckDB-WASM: by its own pipeline (as the app does), or, with
 * `native` or when that fails, by native DuckDB, loading the package tables into a fresh wasm engine.
 */
async function buildResults(dir: string, native: boolean): Promise<Built> {
  const models = await loadModelFiles();
  const inputs = await Promise.all((await expandInputs([dir])).map((f) => inspectPath(f)));
  if (!native) {
    const started = Date.now();
    const engine = await openNodeEngine({ unlocked: true });
    const report = await runPipeline({
      engine, models, inputs, runDate: BENCH_RUN_DATE, exporter: (file, sql) => checkExportTable(sql, file.table),
    });
    if (report.state === 'success') return { engine, builtBy: `the wasm pipeline (${((Date.now() - started) / 1000).toFixed(0)} s)`, report };
    console.log(`the wasm pipeline failed (${report.error}); building natively instead`);
  }
  const engine = await openNodeEngine({ unlocked: true });
  return buildNatively(engine, models, inputs);
}

async function buildNatively(
  engine: WasmEngine, models: Awaited<ReturnType<typeof loadModelFiles>>, inputs: Awaited<ReturnType<typeof inspectPath>>[],
): Promise<Built> {
  const native = await NativeEngine.open();
  const nativeStarted = Date.now();
  const nativeReport = await runPipeline({ engine: native, models, inputs, runDate: BENCH_RUN_DATE });
  if (nativeReport.state !== 'success') throw new Error(`the native pipeline failed too: ${nativeReport.error}`);
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'rw-bench-exports-'));
  await openStage(engine, BENCH_RUN_DATE);
  const tables = await native.query<{ id: string }>(`select schema_name || '.' || table_name as id from duckdb_tables() where database_name = current_database()`);
  for (const { table } of exportFiles(tables.map((t) => t.id))) {
    const columns = await native.query<{ name: string; type: string }>(`select column_name as name, data_type as type from duckdb_columns()
      where database_name = current_database() and schema_name || '.' || table_name = ? order by column_index`, [table]);
    const file = path.join(tmp, `${table}.csv`);
    await native.exec(`copy (select * from ${table}) to ${quoteLiteral(file)} (format csv, header true)`);
    const types = columns.map((c) => `${quoteLiteral(c.name)}: ${quoteLiteral(c.type)}`).join(', ');
    await engine.exec(`create table ${table} as select * from read_csv(${quoteLiteral(file)}, header = true, columns = {${types}})`);
  }
  native.close();
  await rm(tmp, { recursive: true, force: true });
  const secs = ((Date.now() - nativeStarted) / 1000).toFixed(0);
  return { engine, builtBy: `native DuckDB (${secs} s), the package tables then loaded into DuckDB-WASM`, report: nativeReport };
}

/** Runs `work`, timing it and sampling memory whenever it calls `sample`. */
async function measure(engine: WasmEngine, name: string, work: (sample: () => void) => Promise<{ rows: number; bytes: number }>): Promise<Measure> {
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const wasmBefore = wasmHeapBytes(engine) ?? 0;
  let peakRss = rssBefore;
  const sample = () => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  };
  const [t0, c0] = [performance.now(), cpu()];
  const { rows, bytes } = await work(sample);
  const m: Measure = {
    name, rows, bytes, ms: performance.now() - t0, cpuMs: cpu() - c0, rssBefore, peakRss, wasmBefore, wasmAfter: wasmHeapBytes(engine) ?? 0,
  };
  console.log(`${name}: ${(m.ms / 1000).toFixed(2)} s, ${(bytes / 1e6).toFixed(1)} MB, peak RSS +${((peakRss - rssBefore) / 2 ** 20).toFixed(0)} MiB`);
  return m;
}

async function factSales(engine: WasmEngine, format: ExportFormat, sample: () => void) {
  const query = exportQuery(await describeTable(engine, 'gold.fact_sales'), { table: 'gold.fact_sales' });
  let rows = 0;
  let bytes = 0;
  for await (const chunk of tableBytes(engine, query, format, async (n) => {
    rows += n;
    sample();
  })) bytes += chunk.length;
  return { rows, bytes };
}

async function zipPackage(engine: WasmEngine, format: ExportFormat, report: RunReport, sample: () => void) {
  let bytes = 0;
  const zip = new ZipWriter((chunk) => {
    bytes += chunk.length;
    sample();
  }, new Date(report.startedAt));
  const opts = { format, report, models: await loadModelFiles(), onProgress: sample };
  const tables = await writePackage(engine, opts, (name, chunks, compress) => zip.add(name, chunks, compress).then(() => undefined));
  await zip.finish();
  return { rows: tables.reduce((sum, t) => sum + t.rows, 0), bytes };
}

export async function nodeExports(scale: string, dir: string, native: boolean): Promise<NodeResult> {
  const load = [os.loadavg()[0]];
  await initParquetNode();
  const { engine, builtBy, report } = await buildResults(dir, native);
  const [{ n }] = await engine.query<{ n: number }>('select count(*)::bigint as n from gold.fact_sales');
  const measures: Measure[] = [];
  measures.push(await measure(engine, 'fact_sales CSV', (sample) => factSales(engine, 'csv', sample)));
  measures.push(await measure(engine, 'fact_sales Parquet', (sample) => factSales(engine, 'parquet', sample)));
  measures.push(await measure(engine, 'fact_sales CSV by DuckDB COPY (to disk)', async () => {
    const file = path.join(os.tmpdir(), `rw-bench-copy-${process.pid}.csv`);
    await engine.exec(`copy (select * from gold.fact_sales) to ${quoteLiteral(file)} (format csv, header true)`);
    const { size } = await stat(file);
    await rm(file, { force: true });
    return { rows: Number(n), bytes: size };
  }));
  measures.push(await measure(engine, 'package ZIP, CSV', (sample) => zipPackage(engine, 'csv', report, sample)));
  measures.push(await measure(engine, 'package ZIP, Parquet', (sample) => zipPackage(engine, 'parquet', report, sample)));
  load.push(os.loadavg()[0]);
  return { scale, builtBy, factRows: Number(n), measures, wasmHeap: wasmHeapBytes(engine) ?? 0, load };
}
