/**
 * Re-running downstream of an edited model on the real export: only the edited model,
 * what reads it and its data tests run; the results change as the edit says; a broken
 * edit fails its own task and leaves the last good results; a new KPI model is added.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { expandInputs, inspectPath, registerInputFiles, REPO_ROOT } from '../../src/cli/node-inputs.ts';
import type { ModelFile } from '../../src/pipeline/dag.ts';
import { rerunFrom } from '../../src/pipeline/rerun.ts';
import { runPipeline } from '../../src/pipeline/runner.ts';
import type { RunReport } from '../../src/pipeline/types.ts';
import { TaskFailure } from '../../src/pipeline/run-steps.ts';
import { overrideProblems } from '../../src/workers/models/model-guard.ts';
import { rows, shippedModels, testEngine } from '../helpers/pipeline.ts';

const SEGMENTS = 'models/segmentation/customer_segments.sql';
let shipped: ModelFile[];
let full: RunReport;

const edited = (changes: Record<string, string>) => [
  ...shipped.map((m) => (changes[m.path] === undefined ? m : { ...m, sql: changes[m.path] })),
  ...Object.entries(changes).filter(([p]) => !shipped.some((m) => m.path === p)).map(([p, sql]) => ({ path: p, sql })),
];
const segmentCounts = async () => Object.fromEntries(
  (await rows('select value_segment as s, count(*)::integer as n from segmentation.customer_segments group by all')).map((r) => [r.s, r.n]),
);
const states = (report: RunReport) => Object.fromEntries(report.tasks.map((t) => [t.id, t.state]));
const ran = (report: RunReport) => report.tasks.flatMap((t) => t.models.map((m) => m.id));

beforeAll(async () => {
  shipped = await shippedModels();
  const engine = await testEngine();
  const files = await expandInputs([path.resolve(REPO_ROOT, '../shared/datasets/retail-dw')]);
  const inputs = registerInputFiles(engine, await Promise.all(files.map((f) => inspectPath(f))));
  full = await runPipeline({ engine, models: shipped, inputs, runDate: '2026-11-26' });
  expect(full.state).toBe('success');
});

describe('re-run downstream only', () => {
  it('a raised High cut-off rebuilds only the segments and their tests, and High shrinks', async () => {
    const engine = await testEngine();
    const before = await segmentCounts();
    const buyers = before.High + before.Medium + before.Low;
    const sql = shipped.find((m) => m.path === SEGMENTS)!.sql.replace('quantile_cont(total_sales, 0.66)', 'quantile_cont(total_sales, 0.9)');
    const report = await rerunFrom({ engine, models: edited({ [SEGMENTS]: sql }), from: ['segmentation.customer_segments'], previous: full });
    expect(report.state, report.error).toBe('success');
    expect(states(report)).toEqual({
      ingest_bronze: 'skipped', validate_data: 'skipped', run_silver: 'skipped', run_gold: 'skipped', run_kpi: 'skipped',
      run_segmentation: 'success', export_for_powerbi: 'skipped',
    });
    expect(ran(report)).toEqual(['segmentation.customer_segments', 'tests.segments_one_row_per_buyer']);
    const after = await segmentCounts();
    expect(after.High + after.Medium + after.Low).toBe(buyers);
    // High is now the top 10 % of buyers by lifetime sales (ties may add a few)
    expect(after.High).toBeLessThan(before.High);
    expect(Math.abs(after.High - buyers * 0.1)).toBeLessThan(buyers * 0.01);
    expect(after.Medium).toBe(buyers - after.High - after.Low);
    expect(after.Low).toBe(before.Low);
    expect(report.tables['gold.fact_sales']).toBe(60_398);
    expect(report.inputs).toEqual(full.inputs);

    const reset = await rerunFrom({ engine, models: shipped, from: ['segmentation.customer_segments'], previous: report });
    expect(reset.state).toBe('success');
    expect(await segmentCounts()).toEqual(before);
    const catalogs = await rows(`select database_name as name from duckdb_databases() where database_name like 'stage_%'`);
    expect(catalogs).toHaveLength(1);
  });

  it('an edited gold model rebuilds gold, every KPI and the segments, and leaves silver alone', async () => {
    const engine = await testEngine();
    const path = 'models/gold/dim_products.sql';
    const sql = `${shipped.find((m) => m.path === path)!.sql}\n`;
    const exported: string[] = [];
    const report = await rerunFrom({
      engine, models: edited({ [path]: sql }), from: ['gold.dim_products'], previous: full,
      exporter: async (file) => {
        exported.push(file.name);
        return 'ok';
      },
    });
    expect(report.state, report.error).toBe('success');
    expect(states(report)).toMatchObject({ run_silver: 'skipped', run_gold: 'success', run_kpi: 'success', run_segmentation: 'success', export_for_powerbi: 'success' });
    expect(ran(report)).not.toContain('gold.dim_customers');
    expect(ran(report)).toContain('gold.fact_sales');
    expect(exported).toContain('dim_products.csv');
    expect(exported).not.toContain('dim_customers.csv');
  });

  it('a broken edit fails its own task with the model named, keeping the last good results', async () => {
    const engine = await testEngine();
    const before = await segmentCounts();
    const broken = shipped.find((m) => m.path === SEGMENTS)!.sql.replace('s.total_sales,', 's.total_salez,');
    const report = await rerunFrom({ engine, models: edited({ [SEGMENTS]: broken }), from: ['segmentation.customer_segments'], previous: full });
    expect(report.state).toBe('failed');
    expect(report.error).toMatch(/^model segmentation\.customer_segments \(models\/segmentation\/customer_segments\.sql\) failed: Binder Error/);
    expect(states(report)).toMatchObject({ run_kpi: 'skipped', run_segmentation: 'failed', export_for_powerbi: 'upstream_failed' });
    expect(await segmentCounts()).toEqual(before);
    expect(await rows(`select current_database() like 'stage_%' as ok`)).toEqual([{ ok: true }]);
  });

  it('adds a new KPI model, refuses one that breaks the layer rules, and drops a removed one', async () => {
    const engine = await testEngine();
    const added = 'models/kpi/sales_by_weekday.sql';
    const sql = `-- grain: one row per weekday\nselect dayname(order_date) as weekday, total_sales(sales_amount) as sales\nfrom gold.fact_sales\ngroup by all`;
    const report = await rerunFrom({ engine, models: edited({ [added]: sql }), from: ['kpi.sales_by_weekday'], previous: full });
    expect(report.state, report.error).toBe('success');
    expect(ran(report)).toEqual(['kpi.sales_by_weekday']);
    const [{ total }] = await rows('select sum(sales)::double as total from kpi.sales_by_weekday');
    const [{ overview }] = await rows('select total_sales::double as overview from kpi.overview');
    expect(total).toBe(overview);

    const bad = await rerunFrom({ engine, models: edited({ [added]: '-- grain: x\nselect * from silver.crm_sales_details' }), from: ['kpi.sales_by_weekday'], previous: report });
    expect(bad.state).toBe('failed');
    expect(bad.error).toContain('the kpi layer may read only gold and kpi');
    expect(await rows('select sum(sales)::double as total from kpi.sales_by_weekday')).toEqual([{ total }]);

    const removed = await rerunFrom({ engine, models: shipped, from: [], drop: ['kpi.sales_by_weekday'], previous: report });
    expect(removed.state, removed.error).toBe('success');
    expect(removed.tables['kpi.sales_by_weekday']).toBeUndefined();
    expect(await rows(`select count(*)::integer as n from duckdb_tables() where database_name = current_database() and table_name = 'sales_by_weekday'`)).toEqual([{ n: 0 }]);
  });

  it('a model that hides a second statement never runs it: DuckDB builds exactly one statement', async () => {
    const engine = await testEngine();
    const hidden = 'models/kpi/hidden.sql';
    // Past every check of the page (as a tampered override would be), straight to the build:
    const report = await rerunFrom({ engine, models: edited({ [hidden]: '-- grain: one row\nselect 1 as x; set variable pwned = 42' }), from: ['kpi.hidden'], previous: full });
    expect(report.state).toBe('failed');
    expect(report.error).toMatch(/^model kpi\.hidden \(models\/kpi\/hidden\.sql\) failed: .*multiple statements/);
    expect(await rows(`select getvariable('pwned') as pwned`)).toEqual([{ pwned: null }]);
  });

  it('the saved overrides are checked again before a re-run: a refused one stops it before anything is built', async () => {
    const engine = await testEngine();
    const before = await segmentCounts();
    const overrides = [
      { path: SEGMENTS, sql: shipped.find((m) => m.path === SEGMENTS)!.sql.replace('0.66', '0.9') },
      { path: 'models/kpi/hidden.sql', sql: "-- grain: one row\nselect $é$ ' $é$; set variable pwned = 42; --'" },
    ];
    const report = await rerunFrom({
      engine, models: edited(Object.fromEntries(overrides.map((o) => [o.path, o.sql]))), from: ['segmentation.customer_segments'], previous: full,
      verify: async () => {
        const problems = await overrideProblems(engine, shipped, overrides);
        if (problems.length) throw new TaskFailure(problems.join('; '));
      },
    });
    expect(report.state).toBe('failed');
    expect(report.error).toBe('models/kpi/hidden.sql: a model is exactly one query; this text has 2 statements');
    expect(ran(report)).toEqual([]);
    expect(await segmentCounts()).toEqual(before);
    expect(await rows(`select getvariable('pwned') as pwned`)).toEqual([{ pwned: null }]);
  });
});
