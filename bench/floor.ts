/**
 * The floor the pipeline is measured against: native DuckDB 1.4.3 (the core of DuckDB-WASM
 * 1.32) on one thread, running bench/floor.sql — the least work that writes the same package
 * tables (typed reads, no validation, quarantine or line numbers). One process, one run:
 *
 *   tsx bench/floor.ts --data <dir> [--out <dir>] [--run-date 2026-02-01] [--threads 1]
 *
 * Prints `BENCH_RESULT {json}` (per-step wall and CPU ms, peak RSS). Without --out the
 * CSV files go to a temporary folder that is removed; with it they are kept (to compare).
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CSV_COPY_OPTIONS } from '../src/pipeline/exports.ts';
import { OFFLINE_SETTINGS } from '../src/duckdb/wasm-engine.ts';
import { BENCH_RUN_DATE, peakRssBytes, RESULT_PREFIX } from './run-one.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));

export interface FloorStep {
  id: string;
  ms: number;
  cpuMs: number;
}

export interface FloorResult {
  threads: number;
  /** From the first statement to the last file written. */
  totalMs: number;
  cpuMs: number;
  steps: FloorStep[];
  peakRss?: number;
  outputBytes?: number;
  fatal?: string;
}

/** floor.sql as timed steps, its placeholders filled in. */
export async function floorSteps(dataDir: string, outDir: string, runDate: string): Promise<{ id: string; sql: string }[]> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(runDate)) throw new Error(`run date must be yyyy-mm-dd, got ${runDate}`);
  const inside = (dir: string) => `${path.resolve(dir)}/`.replaceAll("'", "''");
  const text = (await readFile(path.join(HERE, 'floor.sql'), 'utf8'))
    .replaceAll('${in}', inside(dataDir))
    .replaceAll('${out}', inside(outDir))
    .replaceAll('${run_date}', `date '${runDate}'`)
    .replaceAll('${csv}', CSV_COPY_OPTIONS);
  return text.split(/^-- step: /m).slice(1).map((part) => {
    const newline = part.indexOf('\n');
    return { id: part.slice(0, newline).trim(), sql: part.slice(newline + 1) };
  });
}

const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

export async function runFloor(dataDir: string, outDir: string, runDate = BENCH_RUN_DATE, threads = 1): Promise<FloorResult> {
  const steps = await floorSteps(dataDir, outDir, runDate);
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    await conn.run(`${OFFLINE_SETTINGS} set threads = ${Math.trunc(threads)};`);
    const result: FloorResult = { threads, totalMs: 0, cpuMs: 0, steps: [] };
    const t0 = performance.now();
    const c0 = cpuNow();
    for (const step of steps) {
      const t = performance.now();
      const c = cpuNow();
      await conn.run(step.sql);
      result.steps.push({ id: step.id, ms: performance.now() - t, cpuMs: cpuNow() - c });
    }
    result.totalMs = performance.now() - t0;
    result.cpuMs = cpuNow() - c0;
    return result;
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      out: { type: 'string' },
      'run-date': { type: 'string', default: BENCH_RUN_DATE },
      threads: { type: 'string', default: '1' },
    },
  });
  if (!values.data) {
    console.error('usage: tsx bench/floor.ts --data <dir> [--out <dir>] [--run-date yyyy-mm-dd] [--threads N]');
    process.exit(2);
  }
  const out = values.out ? path.resolve(values.out) : await mkdtemp(path.join(tmpdir(), 'bench-floor-'));
  await mkdir(out, { recursive: true });
  let result: FloorResult;
  try {
    result = await runFloor(values.data, out, values['run-date'], Number(values.threads));
  } catch (e) {
    result = { threads: Number(values.threads), totalMs: 0, cpuMs: 0, steps: [], fatal: e instanceof Error ? e.message : String(e) };
  } finally {
    if (!values.out) await rm(out, { recursive: true, force: true });
  }
  result.peakRss = await peakRssBytes();
  console.log(RESULT_PREFIX + JSON.stringify(result));
  if (result.fatal) process.exit(1);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
