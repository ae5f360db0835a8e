/**
 * Reproduces DuckDB 1.4.3's two-thread bug in spilling aggregates (docs/scale.md): builds
 * the gold tables of a data folder once into a DuckDB file, then runs one KPI model many
 * times per thread count under a small memory limit, each run in a fresh child process
 * (a crash kills only that child), and tallies the outcomes: the row count and a hash of
 * the rows, an error, or the signal the child died of.
 *
 *   npx tsx bench/spill-threads.ts --data /work/data/scale100 [--model orders_per_customer]
 *        [--memory 450MB] [--runs 8] [--threads 2,3,1] [--work /work/data/tmp-spill-threads]
 *
 * The threads are set on the raw DuckDB instance, not through NativeEngine (which never
 * runs two). Each run copies gold into a compressed in-memory catalog, as the pipeline does.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { expandInputs, inspectPath, loadModelFiles } from '../src/cli/node-inputs.ts';
import { NativeEngine } from '../src/duckdb/native-engine.ts';
import { runPipeline } from '../src/pipeline/runner.ts';
import { quoteLiteral } from '../src/sql/quote.ts';
import { BENCH_RUN_DATE } from './run-one.ts';

const SELF = fileURLToPath(import.meta.url);
const ROOT = path.resolve(path.dirname(SELF), '..');
const GOLD = ['fact_sales', 'dim_customers', 'dim_products'];

/** Silver and gold of `dir` on native DuckDB (one thread: correct), copied into `file`. */
async function buildGold(dir: string, file: string, spill: string): Promise<void> {
  const engine = await NativeEngine.open({ threads: 1, tempDirectory: spill });
  try {
    const inputs = await Promise.all((await expandInputs([dir])).map((f) => inspectPath(f)));
    const models = (await loadModelFiles()).filter((m) => !/^models\/(kpi|segmentation|tests)\//.test(m.path));
    const report = await runPipeline({ engine, models, inputs, runDate: BENCH_RUN_DATE });
    if (report.state !== 'success') throw new Error(`building gold failed: ${report.error}`);
    await engine.exec(`attach ${quoteLiteral(file)} as gold_file; create schema gold_file.gold;`);
    for (const t of GOLD) await engine.exec(`create table gold_file.gold.${t} as from gold.${t}`);
    await engine.exec('detach gold_file');
  } finally {
    engine.close();
  }
}

/** One run in this process: prints `<rows> rows, hash <h>` or the error. */
async function runOnce(file: string, model: string, threads: number, memory: string, spill: string): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:', {
    threads: String(threads), memory_limit: memory, temp_directory: spill,
    autoinstall_known_extensions: 'false', autoload_known_extensions: 'false',
  });
  const conn = await instance.connect();
  try {
    await conn.run(`attach ${quoteLiteral(file)} as gold_file (read_only); attach ':memory:' as stage (compress); use stage;
      create schema gold; create schema kpi;`);
    for (const t of GOLD) await conn.run(`create table gold.${t} as from gold_file.gold.${t}`);
    await conn.run('detach gold_file');
    await conn.run(await readFile(path.join(ROOT, 'models/measures.sql'), 'utf8'));
    await conn.run(`create table kpi.${model} as\n${await readFile(path.join(ROOT, `models/kpi/${model}.sql`), 'utf8')}`);
    // An order-free digest of the rows: the same rows give the same sum of hashes.
    const reader = await conn.runAndReadAll(`select count(*)::varchar || ' rows, hash ' || sum(hash(t))::varchar as r from kpi.${model} as t`);
    console.log(String(reader.getRows()[0][0]));
  } catch (e) {
    console.log((e as Error).message.split('\n')[0].slice(0, 100));
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      model: { type: 'string', default: 'orders_per_customer' },
      memory: { type: 'string', default: '450MB' },
      runs: { type: 'string', default: '8' },
      threads: { type: 'string', default: '2,3,1' },
      work: { type: 'string', default: '/work/data/tmp-spill-threads' },
      child: { type: 'boolean', default: false },
      gold: { type: 'string' },
    },
  });
  const spill = path.join(values.work, `spill-${process.pid}`);
  if (values.child) {
    await runOnce(values.gold!, values.model, Number(values.threads), values.memory, spill);
    await rm(spill, { recursive: true, force: true });
    return;
  }
  if (!values.data) throw new Error('usage: npx tsx bench/spill-threads.ts --data <dir> [--model m] [--memory 450MB] [--runs 8] [--threads 2,3,1]');
  await mkdir(values.work, { recursive: true });
  const gold = path.join(values.work, `gold-${path.basename(path.resolve(values.data))}.duckdb`);
  if (!existsSync(gold)) {
    console.log(`building ${gold} from ${values.data} …`);
    await buildGold(path.resolve(values.data), gold, spill);
  }
  for (const threads of values.threads.split(',')) {
    const tally = new Map<string, number>();
    for (let i = 0; i < Number(values.runs); i++) {
      const child = spawnSync(process.execPath, ['--import', 'tsx', SELF, '--child', '--gold', gold, '--model', values.model,
        '--threads', threads, '--memory', values.memory, '--work', values.work], { cwd: ROOT, encoding: 'utf8' });
      const outcome = child.signal ? `died of ${child.signal}` : child.stdout.trim().split('\n').pop() || `exit ${child.status}`;
      tally.set(outcome, (tally.get(outcome) ?? 0) + 1);
    }
    // A child that crashed left its spill folder behind.
    for (const entry of await readdir(values.work)) if (entry.startsWith('spill-')) await rm(path.join(values.work, entry), { recursive: true, force: true });
    console.log(`${values.model}, ${threads} thread(s), memory ${values.memory}:`);
    for (const [outcome, n] of tally) console.log(`  ${n} × ${outcome}`);
  }
}

await main();
