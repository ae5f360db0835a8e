/**
 * Peak working memory of each model's query (an investigation tool, not part of
 * `npm run bench`), measured on native DuckDB (same core and buffer manager as
 * DuckDB-WASM) after a complete pipeline run:
 *
 *   tsx bench/model-memory.ts (--scale N | --data <dir>) [--threads 1] [--only kpi.,segmentation.]
 *        [--alt <model id>=<file.sql> ...]
 *
 * Each model's SQL is re-run as `create table probe._probe as <sql>` (`probe`: an in-memory
 * catalog attached with `(compress)`, like the runner's staging catalog) while a second
 * connection polls duckdb_memory() every 10 ms; reported: seconds, peak memory above
 * what the tables already hold, and the size of the result. `--alt` measures a
 * rewritten model the same way (the models on disk are not touched) and compares its rows
 * with the model's: as multisets, and row by row in order (same values, same order, same types).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { expandInputs, inspectPath, loadModelFiles } from '../src/cli/node-inputs.ts';
import { buildDag } from '../src/pipeline/dag.ts';
import { runPipeline } from '../src/pipeline/runner.ts';
import { NativeEngine } from '../src/duckdb/native-engine.ts';
import { BENCH_RUN_DATE, dataDir } from './run-one.ts';

const MiB = 1024 * 1024;

async function main() {
  const { values } = parseArgs({
    options: {
      scale: { type: 'string', default: '10' },
      data: { type: 'string' },
      threads: { type: 'string', default: '1' },
      only: { type: 'string' },
      alt: { type: 'string', multiple: true },
    },
  });
  const engine = await NativeEngine.open({ threads: Number(values.threads) });
  const models = await loadModelFiles();
  const inputs = await Promise.all((await expandInputs([path.resolve(values.data ?? dataDir(values.scale))])).map((f) => inspectPath(f)));
  const report = await runPipeline({ engine, models, inputs, runDate: BENCH_RUN_DATE });
  console.log(`pipeline (native, ${values.threads} thread): ${report.state} in ${((report.durationMs ?? 0) / 1000).toFixed(1)} s${report.error ? `: ${report.error}` : ''}`);
  const measures = models.find((m) => m.path === 'models/measures.sql');
  if (measures) await engine.exec(measures.sql);

  await engine.exec("attach ':memory:' as probe (compress)");
  const poller = await engine.connect();
  const used = async () => {
    const reader = await poller.runAndReadAll('select sum(memory_usage_bytes)::double as m from duckdb_memory()');
    return Number(reader.getRowObjectsJS()[0].m);
  };
  const probe = async (id: string, sql: string) => {
    await engine.exec('drop table if exists probe._probe');
    const base = await used();
    let peak = base;
    let running = true;
    const polling = (async () => {
      while (running) {
        peak = Math.max(peak, await used());
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    const t0 = performance.now();
    let error = '';
    try {
      await engine.exec(`create table probe._probe as\n${sql}`);
    } catch (e) {
      error = (e as Error).message.split('\n')[0];
    }
    const ms = performance.now() - t0;
    running = false;
    await polling;
    const after = await used();
    console.log(
      `${id.padEnd(40)} ${(ms / 1000).toFixed(2).padStart(7)} s  peak +${((peak - base) / MiB).toFixed(0).padStart(5)} MiB` +
        `  result ${((after - base) / MiB).toFixed(0).padStart(5)} MiB${error ? `  ERROR ${error}` : ''}`,
    );
  };

  const only = values.only?.split(',');
  const dag = buildDag(models);
  console.log(`${'model'.padEnd(40)} ${'time'.padStart(9)}  ${'working memory'.padStart(16)}  ${'table'.padStart(12)}`);
  for (const m of dag.models) {
    if (only && !only.some((p) => m.id.startsWith(p))) continue;
    await probe(m.id, m.sql);
  }
  for (const alt of values.alt ?? []) {
    const [id, file] = alt.split('=');
    const sql = await readFile(file, 'utf8');
    await probe(`${id} (alt: ${path.basename(file)})`, sql);
    // Same rows, exactly? (a double summed in another order may differ in the last bit)
    const original = dag.byId.get(id)?.sql;
    if (original) {
      const [row] = await engine.query<{ only_original: number; only_alt: number; n: number }>(
        `select (select count(*) from ((${original}) except all (${sql})))::integer as only_original,
                (select count(*) from ((${sql}) except all (${original})))::integer as only_alt,
                (select count(*) from (${original}))::integer as n`,
      );
      // In order and typed: both results as text, row by row (with their column types).
      const text = async (q: string) => JSON.stringify([
        (await engine.query(`describe select * from (${q})`)).map((c) => `${c.column_name} ${c.column_type}`),
        await engine.query(`select * from (${q})`),
      ], (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
      const ordered = row.n <= 100_000 ? ((await text(original)) === (await text(sql)) ? 'same' : 'DIFFERENT') : 'not compared (over 100,000 rows)';
      console.log(`  compared with ${id}: ${row.n} rows, ${row.only_original} only in the original, ${row.only_alt} only in the alternative; in order, typed: ${ordered}`);
    }
  }
  await engine.exec('drop table if exists probe._probe');
  poller.closeSync();
  engine.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
