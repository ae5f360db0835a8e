/**
 * Engine time of the dashboard pages relation by relation, in Node (same .wasm as the
 * browser), at scale 100 in minutes: the pipeline's four tables the dashboards read are
 * run once and kept as Arrow streams in PROBE_CACHE, later runs load them back. Then the
 * cubes are built (each statement of build.sql timed), and each page under each state of
 * PROBE_STATES (a JSON list of `{page, state}` in the address's form `k=v&...`, or the
 * bench's JSON with `--states-from`) is run whole and chart by chart, medians of PROBE_N; with
 * PROBE_VARIANT (SQL, e.g. a setting; PROBE_VARIANT_RESET undoes it) the whole page again under it.
 *   PROBE_DATA=/work/data/scale100 PROBE_CACHE=/tmp/gold100 npx vitest run --config bench/vitest.probe.config.ts bench/dash-relations.probe.ts
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { it, vi } from 'vitest';
import { expandInputs, inspectPath, registerInputFiles, REPO_ROOT } from '../src/cli/node-inputs.ts';
import { runPipeline } from '../src/pipeline/runner.ts';
import { parseFilters } from '../src/shared/filters.ts';
import { shippedModels, testEngine } from '../tests/helpers/pipeline.ts';
import { openNodeEngine } from '../src/duckdb/wasm-node.ts';

const probe = vi.hoisted(() => ({ target: -1, counter: 0, sql: '', params: [] as unknown[] }));
vi.mock('../src/workers/dashboards/cache.ts', async (orig) => {
  const m = await orig<typeof import('../src/workers/dashboards/cache.ts')>();
  return { ...m, knownAnswer: () => { const i = probe.counter++; return probe.target < 0 || i === probe.target ? undefined : [{}]; }, rememberAnswer: () => {} };
});
vi.mock('../src/workers/dashboards/statements.ts', async (orig) => {
  const m = await orig<typeof import('../src/workers/dashboards/statements.ts')>();
  return { ...m, runPrepared: (e: any, t: object, sql: string, params: any[], timing: any) => { probe.sql = sql; probe.params = params; return m.runPrepared(e, t, sql, params, timing); } };
});
import { ensureBase } from '../src/workers/dashboards/base.ts';
import { queryPage } from '../src/workers/dashboards/pages.ts';

// The engine's own Arrow (CommonJS in Node): a second copy of the module writes empty streams.
const { tableToIPC } = createRequire(import.meta.url)('apache-arrow') as typeof import('apache-arrow');
const DATA = process.env.PROBE_DATA ?? path.resolve(REPO_ROOT, '../shared/datasets/retail-dw');
const CACHE = process.env.PROBE_CACHE;
const N = Number(process.env.PROBE_N ?? 3);
const TABLES = ['gold.dim_customers', 'gold.dim_products', 'gold.fact_sales', 'segmentation.customer_segments'];
const CHARTS = { executive: 5, customers: 7, products: 6, segments: 4 } as Record<string, number>;
const med = (a: number[]) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };

async function loadGold(e: any): Promise<void> {
  if (CACHE && existsSync(path.join(CACHE, 'done'))) {
    const measures = (await shippedModels()).find((m) => m.path.endsWith('models/measures.sql'))!;
    const types = JSON.parse(readFileSync(path.join(CACHE, 'types.json'), 'utf8')) as Record<string, { name: string; type: string }[]>;
    e.conn.query('create schema if not exists gold; create schema if not exists segmentation;');
    for (const t of TABLES) {
      e.conn.query(`create table ${t} (${types[t].map((c) => `"${c.name}" ${c.type}`).join(', ')})`);
      e.conn.query('begin transaction');
      for (let k = 0; existsSync(path.join(CACHE, `${t}.${k}.arrow`)); k++) {
        e.conn.insertArrowFromIPCStream(readFileSync(path.join(CACHE, `${t}.${k}.arrow`)), { schema: t.split('.')[0], name: t.split('.')[1], create: false });
      }
      e.conn.query('commit');
    }
    e.conn.query(measures.sql);
    return;
  }
  const files = await expandInputs([DATA]);
  const inputs = registerInputFiles(e, await Promise.all(files.map((f) => inspectPath(f))));
  const r = await runPipeline({ engine: e, models: await shippedModels(), inputs, runDate: '2026-11-26' });
  if (r.state !== 'success') throw new Error(r.error);
  if (!CACHE) return;
  mkdirSync(CACHE, { recursive: true });
  const types: Record<string, { name: string; type: string }[]> = {};
  for (const t of TABLES) {
    types[t] = e.conn.query(`select column_name as name, data_type as type from information_schema.columns where table_schema || '.' || table_name = '${t}' order by ordinal_position`).toArray().map((r: any) => r.toJSON());
    const [{ n }] = e.conn.query(`select count(*)::integer as n from ${t}`).toArray().map((r: any) => r.toJSON());
    for (let k = 0, off = 0; off < n; k++, off += 500_000) {
      writeFileSync(path.join(CACHE, `${t}.${k}.arrow`), tableToIPC(e.conn.query(`select * from ${t} limit 500000 offset ${off}`), 'stream'));
    }
  }
  writeFileSync(path.join(CACHE, 'types.json'), JSON.stringify(types));
  writeFileSync(path.join(CACHE, 'done'), '');
}

/** build.sql's statements one by one, timed (the cubes' build in ./aggregates.ts runs them as one). */
function timeBuild(e: any): { ms: number; steps: [string, number][] } {
  const text = readFileSync(path.join(REPO_ROOT, 'src/workers/dashboards/sql/aggregates/build.sql'), 'utf8');
  e.conn.query(`detach database if exists dash_agg; attach ':memory:' as dash_agg (compress);`);
  const steps: [string, number][] = [];
  const t0 = performance.now();
  for (const stmt of text.replace(/--[^\n]*/g, '').split(/;\s*\n/).map((s) => s.trim()).filter(Boolean)) {
    const t = performance.now();
    e.conn.query(stmt);
    steps.push([/(table|drop table) ([\w.]+)/.exec(stmt)?.[2] ?? stmt.slice(0, 40), +(performance.now() - t).toFixed(0)]);
  }
  return { ms: performance.now() - t0, steps };
}

it('relations', { timeout: 3_600_000 }, async () => {
  // A setting tried through PROBE_VARIANT needs an engine whose settings are not locked.
  const e = process.env.PROBE_VARIANT?.startsWith('set ') ? await openNodeEngine({ unlocked: true }) : await testEngine();
  let t = performance.now();
  await loadGold(e);
  console.log(`gold loaded in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const build = process.env.PROBE_BUILD ? timeBuild(e) : undefined;
  if (build) console.log(`build.sql: ${(build.ms / 1000).toFixed(2)} s`, JSON.stringify(build.steps));
  t = performance.now();
  await ensureBase(e);
  console.log(`ensureBase: ${((performance.now() - t) / 1000).toFixed(2)} s`);
  const sizes = e.conn.query("select table_name, estimated_size from duckdb_tables() where table_name like 'dash_%' or database_name = 'dash_agg' order by estimated_size desc").toArray().map((r: any) => `${r.table_name} ${r.estimated_size}`);
  console.log(sizes.join(', '));
  const states = JSON.parse(readFileSync(process.env.PROBE_STATES ?? '/tmp/probe-states.json', 'utf8')) as { page: string; state: string }[];
  const out: any[] = [];
  const time = (sql: string, params: unknown[]) => {
    const exec: number[] = [];
    const s = e.conn.prepare(sql);
    for (let k = 0; k < N; k++) { t = performance.now(); s.query(...(params as any[])); exec.push(performance.now() - t); }
    s.close();
    return +med(exec).toFixed(1);
  };
  for (const { page, state } of states) {
    const filters = parseFilters(new URLSearchParams(state));
    probe.target = -1; probe.counter = 0;
    await queryPage(e, { page: page as any, filters, grain: 'month' });
    const whole = time(probe.sql, probe.params);
    // The same statement prepared under other settings (PROBE_VARIANT, undone by PROBE_VARIANT_RESET), measured right after.
    let variant: number | undefined;
    if (process.env.PROBE_VARIANT) {
      e.conn.query(process.env.PROBE_VARIANT);
      variant = time(probe.sql, probe.params);
      e.conn.query(process.env.PROBE_VARIANT_RESET ?? 'select 1');
    }
    const alone: number[] = [];
    for (let c = 0; c < CHARTS[page]; c++) {
      probe.target = c; probe.counter = 0;
      await queryPage(e, { page: page as any, filters, grain: 'month' });
      alone.push(time(probe.sql, probe.params));
    }
    const row = { page, state, whole, variant, alone };
    out.push(row);
    console.log(JSON.stringify(row));
  }
  writeFileSync(process.env.PROBE_OUT ?? '/tmp/dash-relations.json', JSON.stringify({ build, sizes, out }, null, 1));
});
