import { describe, expect, it } from 'vitest';
import { MINIMAL, rows, runOnTexts, shippedModels, testEngine } from '../helpers/pipeline.ts';

const salesLine = (order: string, amount: number) => `${order},BK-R93R-62,11000,20110101,20110105,20110110,${amount},1,${amount}\n`;
const sales = (...lines: string[]) => MINIMAL.crm_sales_details.split('\n')[0] + '\n' + lines.join('');

describe('build then swap', () => {
  it('replaces the results only when a run succeeds', async () => {
    const good = await runOnTexts({ crm_sales_details: sales(salesLine('SO1', 100), salesLine('SO2', 200)) });
    expect(good.report.state).toBe('success');
    expect(await rows('select total_sales from kpi.overview')).toEqual([{ total_sales: 300 }]);

    const second = await runOnTexts({ crm_sales_details: sales(salesLine('SO3', 50)) });
    expect(second.report.state).toBe('success');
    expect(await rows('select total_sales from kpi.overview')).toEqual([{ total_sales: 50 }]);
    // the replaced run's catalog is gone: no staging catalogs pile up
    const catalogs = await rows(`select database_name as name from duckdb_databases() where database_name like 'stage_%'`);
    expect(catalogs).toHaveLength(1);
  });

  it('keeps the last good results when a model fails, and reports the model', async () => {
    await runOnTexts({ crm_sales_details: sales(salesLine('SO1', 100)) });
    const models = (await shippedModels()).map((m) =>
      m.path === 'models/gold/fact_sales.sql' ? { ...m, sql: 'select no_such_column from silver.crm_sales_details' } : m,
    );
    const { report } = await runOnTexts({ crm_sales_details: sales(salesLine('SO9', 999)) }, { models });
    expect(report.state).toBe('failed');
    expect(report.error).toMatch(/^model gold\.fact_sales \(models\/gold\/fact_sales\.sql\) failed: Binder Error/);
    const states = Object.fromEntries(report.tasks.map((t) => [t.id, t.state]));
    expect(states).toMatchObject({ run_silver: 'success', run_gold: 'failed', run_kpi: 'upstream_failed', export_for_powerbi: 'upstream_failed' });
    const gold = report.tasks.find((t) => t.id === 'run_gold')!;
    expect(gold.models.find((m) => m.id === 'gold.fact_sales')).toMatchObject({ state: 'failed' });
    expect(await rows('select total_sales from kpi.overview')).toEqual([{ total_sales: 100 }]);
  });

  it('stops between statements when cancelled, keeping the last good results', async () => {
    await runOnTexts({ crm_sales_details: sales(salesLine('SO1', 100)) });
    let progressEvents = 0;
    const { report } = await runOnTexts(
      { crm_sales_details: sales(salesLine('SO2', 7)) },
      { onProgress: () => progressEvents++, isCancelled: () => progressEvents > 12 },
    );
    expect(report.state).toBe('cancelled');
    expect(report.error).toBe('cancelled by the user');
    expect(report.tasks.some((t) => t.state === 'failed')).toBe(true);
    expect(report.tasks.at(-1)!.state).toBe('skipped');
    expect(await rows('select total_sales from kpi.overview')).toEqual([{ total_sales: 100 }]);
  });

  it('refuses an invalid model graph before reading any file', async () => {
    const models = [...(await shippedModels()), { path: 'models/kpi/bad.sql', sql: '-- grain: x\nselect * from silver.crm_sales_details' }];
    const { report } = await runOnTexts({}, { models });
    expect(report.state).toBe('failed');
    expect(report.tasks[0]).toMatchObject({ id: 'ingest_bronze', state: 'failed', models: [] });
    expect(report.error).toContain('kpi.bad reads silver.crm_sales_details: the kpi layer may read only gold and kpi');
  });

  it('reports a missing source before anything runs', async () => {
    const engine = await testEngine();
    const before = await engine.query('select count(*)::integer as n from duckdb_databases()');
    const { runPipeline } = await import('../../src/pipeline/runner.ts');
    const report = await runPipeline({ engine, models: await shippedModels(), inputs: [] });
    expect(report.state).toBe('failed');
    expect(report.error).toContain('missing the CRM sales file (expected columns: sls_ord_num, sls_prd_key');
    expect(await engine.query('select count(*)::integer as n from duckdb_databases()')).toEqual(before);
  });
});
