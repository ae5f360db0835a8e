/**
 * Where a dashboard page statement's time goes in the wasm engine, in Node (same .wasm as
 * the browser): prepare vs execute, each chart's statement alone, DuckDB settings, every
 * code filter behind an on/off flag, labels joined in the engine vs not. Prints JSON
 * lines and writes /tmp/dash-engine-<mode>.json. Not a test: run through its own config,
 *   npx vitest run --config bench/vitest.probe.config.ts      (PROBE_MODE=main|settings|allflag|nolabels, PROBE_DATA=<dir>)
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { it, vi } from 'vitest';
import { expandInputs, inspectPath, registerInputFiles, REPO_ROOT } from '../src/cli/node-inputs.ts';
import { runPipeline } from '../src/pipeline/runner.ts';
import { shippedModels, testEngine } from '../tests/helpers/pipeline.ts';

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

const DATA = process.env.PROBE_DATA ?? path.resolve(REPO_ROOT, '../shared/datasets/retail-dw');
const med = (a: number[]) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };
const STATES = [
  { name: 'none', f: { values: {} } },
  { name: 'country', f: { values: { country: ['Germany'] } } },
  { name: 'category', f: { values: { category: ['Bikes'] } } },
  { name: 'date', f: { from: '2012-03-17', to: '2013-01-09', values: {} } },
  { name: 'date+country+sub', f: { from: '2012-03-17', to: '2013-01-09', values: { country: ['Germany'], subcategory: ['Road Bikes'] } } },
  { name: 'gender+segment', f: { values: { gender: ['Female'], segment: ['High'] } } },
];
const PAGES = { executive: 5, customers: 7, products: 6, segments: 4 } as const;

it('probe', { timeout: 3_600_000 }, async () => {
  const e = process.env.PROBE_MODE === 'settings' ? await (await import('../src/duckdb/wasm-node.ts')).openNodeEngine({ unlocked: true }) : await testEngine();
  const files = await expandInputs([DATA]);
  const inputs = registerInputFiles(e, await Promise.all(files.map((f) => inspectPath(f))));
  const r = await runPipeline({ engine: e, models: await shippedModels(), inputs, runDate: '2026-11-26' });
  if (r.state !== 'success') throw new Error(r.error);
  await ensureBase(e);
  const out: any[] = [];
  const time = (sql: string, params: unknown[], n = 7) => {
    const prep: number[] = []; const exec: number[] = [];
    for (let k = 0; k < n; k++) {
      let t = performance.now(); const s = e.conn.prepare(sql); prep.push(performance.now() - t);
      t = performance.now(); s.query(...(params as any[])); exec.push(performance.now() - t);
      // second execution on the same prepared statement
      s.close();
    }
    return { prepare: med(prep), exec: med(exec) };
  };
  const mode = process.env.PROBE_MODE ?? 'main';
  for (const [page, n] of Object.entries(PAGES)) {
    if (mode === 'nolabels' && page !== 'executive') continue;
    for (const st of STATES) {
      probe.target = -1; probe.counter = 0;
      const data = await queryPage(e, { page: page as any, filters: st.f as any, grain: 'month' });
      const sql = probe.sql, params = probe.params;
      const whole = time(sql, params);
      const row: any = { page, state: st.name, ...whole, len: sql.length, firstPrepare: data.timing!.prepareMs, firstSql: data.timing!.sqlMs };
      if (mode === 'nolabels') {
        // the labels joined in JS instead: codes out, no join with temp.dash_codes
        const norm = sql.replace(/--[^\n]*/g, '').replace(/\s+/g, ' ');
        const text = norm
          .replace("select d.value as category, t.sales, t.units::bigint as units, t.sales / sum(t.sales) over () as share, from totals as t join temp.dash_codes as d on d.dim = 'category' and d.code = t.cat order by sales desc, category", "select t.cat as category, t.sales, t.units::bigint as units, t.sales / sum(t.sales) over () as share, from totals as t order by sales desc, category")
          .replace("select s.value as subcategory, c.value as category, t.sales, t.units::bigint as units, from totals as t join temp.dash_codes as s on s.dim = 'subcategory' and s.code = t.sub join temp.dash_codes as c on c.dim = 'category' and c.code = t.cat order by sales desc, subcategory", "select t.sub as subcategory, t.cat as category, t.sales, t.units::bigint as units, from totals as t order by sales desc, subcategory")
          .replace("join temp.dash_codes as d on d.dim = 'country' and d.code = t.cn order by sales desc, country", "order by sales desc, country").replace("select d.value as country, t.sales,", "select t.cn as country, t.sales,");
        const joins = (x: string) => (x.match(/dash_codes/g) ?? []).length;
        const b0 = time(text, params, 9); const a = time(norm, params, 9); const b = time(text, params, 9); row.b0 = b0.exec.toFixed(1);
        row.labels = `${joins(norm)} joins ${a.prepare.toFixed(1)}/${a.exec.toFixed(1)} → ${joins(text)} joins ${b.prepare.toFixed(1)}/${b.exec.toFixed(1)}`;
        const ex = (x: string) => (String(e.conn.prepare('explain analyze ' + x).query(...(params as any[])).getChildAt(1)!.get(0)).match(/┌─────/g) ?? []).length;
        row.ops = `${ex(norm)} → ${ex(text)}`;
        // the labels from a list per dimension (a macro built from temp.dash_codes), no join
        const codes = e.conn.query('select dim, code, value from temp.dash_codes').toArray().map((r) => r.toJSON()) as { dim: string; code: number; value: string }[];
        for (const dim of ['category', 'subcategory', 'country']) {
          const list: (string | null)[] = [];
          for (const r of codes.filter((c) => c.dim === dim)) list[Number(r.code)] = r.value;
          const literal = `[${Array.from(list, (v) => (v == null ? 'null' : `'${v.replaceAll("'", "''")}'`)).join(', ')}]`;
          e.conn.query(`create or replace temp macro dash_label_${dim}(c) as (${literal}[c + 1])`);
        }
        const macro = text.replace('select t.cat as category,', 'select dash_label_category(t.cat) as category,')
          .replace('select t.sub as subcategory, t.cat as category,', 'select dash_label_subcategory(t.sub) as subcategory, dash_label_category(t.cat) as category,')
          .replace('select t.cn as country,', 'select dash_label_country(t.cn) as country,');
        const rowsOf = (x: string) => JSON.stringify(e.conn.prepare(x).query(...(params as any[])).toArray(), (_k, v) => (typeof v === 'bigint' ? String(v) : v));
        const same = rowsOf(norm) === rowsOf(macro);
        const c = time(macro, params, 9); const a2 = time(norm, params, 9);
        row.macro = `joins ${a2.prepare.toFixed(1)}/${a2.exec.toFixed(1)} → macro ${c.prepare.toFixed(1)}/${c.exec.toFixed(1)}, same rows: ${same}, ops ${ex(macro)}`;
      }
      if (mode === 'allflag') {
        // every code term behind a flag: `(flag or col in (?))`; flag true = the filter is off
        const flagged = (allOff: boolean) => {
          let text = ''; const ps: unknown[] = []; let pi = 0; let i = 0;
          const re = /(\w+) in \(cast\(\? as utinyint\)((?:, cast\(\? as utinyint\))*)\)/y;
          while (i < sql.length) {
            re.lastIndex = i; const m = re.exec(sql);
            if (m) { const n = 1 + (m[2].match(/\?/g) ?? []).length; text += `(cast(? as boolean) or ${m[0]})`; ps.push(allOff, ...params.slice(pi, pi + n)); pi += n; i += m[0].length; continue; }
            if (sql[i] === '?') { ps.push(params[pi++]); }
            text += sql[i++];
          }
          return { text, ps };
        };
        const on = flagged(false); const off = flagged(true);
        const tOn = time(on.text, on.ps); const tOff = time(off.text, off.ps);
        row.flagOn = `${tOn.prepare.toFixed(1)}/${tOn.exec.toFixed(1)}`; row.flagOff = `${tOff.prepare.toFixed(1)}/${tOff.exec.toFixed(1)}`;
        // the state without any filter, for comparison with flagOff (same answers)
        probe.target = -1; probe.counter = 0;
        await queryPage(e, { page: page as any, filters: { values: {}, from: (st.f as any).from, to: (st.f as any).to } as any, grain: 'month' });
        const tNone = time(probe.sql, probe.params); row.noCodes = `${tNone.prepare.toFixed(1)}/${tNone.exec.toFixed(1)}`;
      }
      if (mode === 'settings') {
        const SETTINGS: [string, string, string][] = [
          ['preserve_insertion_order=false', 'set preserve_insertion_order=false', 'reset preserve_insertion_order'],
          ['disable_optimizer', 'pragma disable_optimizer', 'pragma enable_optimizer'],
          ['no cse/filter_pullup/join_order', "set disabled_optimizers='common_subexpressions,filter_pullup,join_order,build_side_probe_side,statistics_propagation'", "reset disabled_optimizers"],
          ['no statistics_propagation', "set disabled_optimizers='statistics_propagation'", "reset disabled_optimizers"],
          ['no compressed_materialization', "set disabled_optimizers='compressed_materialization'", "reset disabled_optimizers"],
          ['enable_object_cache', 'set enable_object_cache=true', 'reset enable_object_cache'],
        ];
        for (const [name, on, off] of SETTINGS) {
          try { e.conn.query(on); const t = time(sql, params); row[name] = `${t.prepare.toFixed(1)}/${t.exec.toFixed(1)}`; } catch (err) { row[name] = String(err).slice(0, 80); }
          try { e.conn.query(off); } catch { /* */ }
        }
        row.base2 = (() => { const t = time(sql, params); return `${t.prepare.toFixed(1)}/${t.exec.toFixed(1)}`; })();
        row.threads = String(e.conn.query("select current_setting('threads') as t").getChildAt(0)!.get(0));
      }
      if (mode === 'main') {
        const ex = e.conn.prepare('explain analyze ' + sql).query(...(params as any[]));
        const text = String(ex.getChildAt(1)!.get(0));
        row.operators = (text.match(/┌─────/g) ?? []).length;
        if (page === 'executive' && st.name === 'date+country+sub') writeFileSync('/tmp/dash-engine-explain.txt', text);
        const alone: number[] = []; const aloneP: number[] = [];
        for (let c = 0; c < n; c++) {
          probe.target = c; probe.counter = 0;
          await queryPage(e, { page: page as any, filters: st.f as any, grain: 'month' });
          const t = time(probe.sql, probe.params, 5);
          alone.push(+t.exec.toFixed(1)); aloneP.push(+t.prepare.toFixed(1));
        }
        row.aloneExec = alone; row.alonePrep = aloneP;
      }
      out.push(row);
      console.log(JSON.stringify(row));
    }
  }
  writeFileSync(`/tmp/dash-engine-${mode}.json`, JSON.stringify(out, null, 1));
});
