/**
 * What each statement of the dashboard aggregates' build (src/workers/dashboards/sql/aggregates/build.sql)
 * costs, in the wasm engine in Node, after a full run: the build is the largest part of a run's
 * time after its last task. Prints one line per statement, largest first. Not a test:
 *   PROBE_DATA=<dir> npx vitest run --config bench/vitest.probe.config.ts bench/cube-build.probe.ts
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { it } from 'vitest';
import { expandInputs, inspectPath, registerInputFiles, REPO_ROOT } from '../src/cli/node-inputs.ts';
import { runPipeline } from '../src/pipeline/runner.ts';
import { shippedModels, testEngine } from '../tests/helpers/pipeline.ts';

const DATA = process.env.PROBE_DATA ?? path.resolve(REPO_ROOT, '../shared/datasets/retail-dw');
const BUILD = readFileSync(path.resolve(REPO_ROOT, 'src/workers/dashboards/sql/aggregates/build.sql'), 'utf8');

/** The build's statements, each with the comment lines above it stripped. */
function statements(sql: string): string[] {
  return sql.split(/;\s*\n/).map((s) => s.replace(/^\s*--[^\n]*\n/gm, '').trim()).filter(Boolean);
}

/** Variants of the build, by name (PROBE_VARIANT=name): each a rewrite of its text. */
const VARIANTS: Record<string, (sql: string) => string> = {
  current: (sql) => sql,
  'orders-plain-temp': (sql) => sql
    .replace('create or replace table dash_agg.orders_plain', 'create or replace temp table dash_orders_plain')
    .replaceAll('dash_agg.orders_plain', 'temp.dash_orders_plain'),
  // dash_agg.orders without its sort: the join's probe side is orders_plain, already by date, on one thread
  'orders-unsorted': (sql) => sql.replace('left join temp.dash_buyers as b on b.customer_key = o.customer_key\norder by o.order_date;', 'left join temp.dash_buyers as b on b.customer_key = o.customer_key;'),
};

async function dropBuild(e: Awaited<ReturnType<typeof testEngine>>): Promise<void> {
  await e.exec('detach database if exists dash_agg;');
  const tables = await e.query<{ name: string }>("select table_name as name from duckdb_tables() where database_name = 'temp' and starts_with(table_name, 'dash_')");
  for (const t of tables) await e.exec(`drop table if exists temp."${t.name}";`);
}

it('cube build, statement by statement', { timeout: 3_600_000 }, async () => {
  const e = await testEngine();
  const inputs = registerInputFiles(e, await Promise.all((await expandInputs([DATA])).map((f) => inspectPath(f))));
  const r = await runPipeline({ engine: e, models: await shippedModels(), inputs, runDate: '2026-11-26' });
  if (r.state !== 'success') throw new Error(r.error);
  const names = (process.env.PROBE_VARIANT ?? 'current').split(',');
  const rounds = Number(process.env.PROBE_ROUNDS ?? 1);
  const totals: Record<string, number[]> = {};
  for (let round = 0; round < rounds; round++) {
    for (const name of round % 2 ? [...names].reverse() : names) {
      await dropBuild(e);
      await e.exec(`attach ':memory:' as dash_agg (compress);`);
      const rows: { ms: number; what: string }[] = [];
      const all = performance.now();
      for (const s of statements(VARIANTS[name](BUILD))) {
        const t = performance.now();
        await e.exec(s + ';');
        rows.push({ ms: performance.now() - t, what: s.replace(/\s+/g, ' ').slice(0, 90) });
      }
      (totals[name] ??= []).push(performance.now() - all);
      const mem = await e.query<{ mib: number }>('select (sum(memory_usage_bytes) / 1048576)::integer as mib from duckdb_memory()');
      console.log(`${name}: ${((performance.now() - all) / 1000).toFixed(2)} s in ${rows.length} statements; engine memory after ${mem[0].mib} MiB`);
      if (round === 0) for (const x of [...rows].sort((a, b) => b.ms - a.ms).slice(0, 8)) console.log(`${x.ms.toFixed(0).padStart(7)} ms  ${x.what}`);
    }
  }
  for (const [name, t] of Object.entries(totals)) console.log(`${name}: ${t.map((x) => (x / 1000).toFixed(2)).join(' ')} s`);
});
