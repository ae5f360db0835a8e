/** What the package says about itself: exported types, measures and their DAX, run.json, sheet sizes, pacing. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import writeXlsxFile, { type Row } from 'write-excel-file/universal';
import { unzipSync } from 'fflate';
import { REPO_ROOT } from '../../src/cli/node-inputs.ts';
import { exportColumns, exportSelectList, exportType } from '../../src/exports/columns.ts';
import { buildManifest } from '../../src/exports/manifest.ts';
import { measureTitle, parseMeasures, toDax } from '../../src/exports/measures.ts';
import { Pacer } from '../../src/exports/progress.ts';
import { sheetXmlEstimate } from '../../src/exports/xlsx.ts';
import { exportFileName, exportFiles } from '../../src/pipeline/exports.ts';
import type { RunReport } from '../../src/pipeline/types.ts';

describe('exported types', () => {
  it('keep what every reader knows and map the rest', () => {
    expect(['BIGINT', 'INTEGER', 'DOUBLE', 'DATE', 'VARCHAR', 'BOOLEAN'].map(exportType)).toEqual(['BIGINT', 'INTEGER', 'DOUBLE', 'DATE', 'VARCHAR', 'BOOLEAN']);
    expect(['HUGEINT', 'UBIGINT', 'UINTEGER', 'SMALLINT', 'UTINYINT'].map(exportType)).toEqual(['BIGINT', 'BIGINT', 'BIGINT', 'INTEGER', 'INTEGER']);
    expect(['DECIMAL(18,3)', 'FLOAT', 'TIMESTAMP', 'TIMESTAMP_MS', 'INTERVAL', 'VARCHAR[]', 'UUID'].map(exportType))
      .toEqual(['DOUBLE', 'DOUBLE', 'TIMESTAMP', 'TIMESTAMP', 'VARCHAR', 'VARCHAR', 'VARCHAR']);
  });

  it('cast in the select list, quoting names that came from files', () => {
    const columns = exportColumns([{ name: 'units', type: 'HUGEINT' }, { name: 'we"ird', type: 'VARCHAR' }]);
    expect(exportSelectList(columns)).toBe('cast("units" as BIGINT) as "units", "we""ird"');
    expect(columns[0]).toMatchObject({ powerBiType: 'Whole number', needsRangeCheck: true });
    expect(columns[1]).toMatchObject({ powerBiType: 'Text', needsRangeCheck: false });
  });
});

describe('file names', () => {
  it('are the table names, KPI tables with a kpi_ prefix, star schema first', () => {
    const files = exportFiles(['kpi.sales_by_year', 'gold.fact_sales', 'silver.x', 'kpi.overview', 'gold.dim_customers'], 'parquet');
    expect(files.map((f) => f.name)).toEqual(['dim_customers.parquet', 'fact_sales.parquet', 'kpi_overview.parquet', 'kpi_sales_by_year.parquet']);
    expect(exportFileName('segmentation.customer_segments', 'csv')).toBe('customer_segments.csv');
  });
});

describe('measures', () => {
  it('are read from models/measures.sql with their comments, and get their DAX', async () => {
    const sql = await readFile(path.join(REPO_ROOT, 'models/measures.sql'), 'utf8');
    const measures = parseMeasures(sql);
    expect(measures.map((m) => m.name)).toEqual(['total_sales', 'total_units', 'total_orders', 'total_customers', 'avg_order_value', 'avg_unit_price']);
    expect(measures[0]).toEqual({ name: 'total_sales', params: ['sales_amount'], sql: 'sum(sales_amount::decimal(38, 6))::double', description: undefined });
    expect(measures[3].description).toBe('customers who bought: distinct customers on sales lines');
    expect(measures.map((m) => toDax(m, 'fact_sales'))).toEqual([
      'Total Sales = SUM(fact_sales[sales_amount])',
      'Total Units = SUM(fact_sales[quantity])',
      'Total Orders = DISTINCTCOUNT(fact_sales[order_number])',
      'Total Customers = DISTINCTCOUNT(fact_sales[customer_key])',
      'Avg Order Value = DIVIDE(SUM(fact_sales[sales_amount]), DISTINCTCOUNT(fact_sales[order_number]))',
      'Avg Unit Price = DIVIDE(SUM(fact_sales[sales_amount]), SUM(fact_sales[quantity]))',
    ]);
  });

  it('get no DAX when the SQL is not one of the simple forms', () => {
    const [odd] = parseMeasures('-- header\n\n-- median basket\ncreate macro median_sale(x) as quantile_cont(x, 0.5);');
    expect(odd).toMatchObject({ name: 'median_sale', description: 'median basket' });
    expect(toDax(odd, 'fact_sales')).toBeUndefined();
    expect(toDax({ name: 'n', params: ['a'], sql: 'sum(b)' }, 't')).toBeUndefined();
    expect(measureTitle('avg_order_value')).toBe('Avg Order Value');
  });
});

describe('run.json', () => {
  it('says when, from which inputs (with checksums), what ran and what each file holds', () => {
    const report: RunReport = {
      runId: 'r1', state: 'success', startedAt: Date.UTC(2026, 10, 26, 8), endedAt: Date.UTC(2026, 10, 26, 8, 1), durationMs: 60_000,
      inputs: [{ name: 'sales.csv', size: 10, source: 'crm_sales_details', sha256: 'ab'.repeat(32) }, { name: 'big.csv', size: 1 }],
      tasks: [{ id: 'run_gold', state: 'success', durationMs: 5, rows: 3, log: [], models: [{ id: 'gold.fact_sales', state: 'success', rows: 3, log: 'built' }] }],
      findings: [{ check: 'c', severity: 'warn', target: 't', count: 2, message: 'm', sample: [{ a: 1 }] }],
      tables: { 'gold.fact_sales': 3 }, exports: [],
    };
    const manifest = buildManifest(report, 'csv', [{ name: 'fact_sales.csv', table: 'gold.fact_sales', rows: 3, description: 'd' }]);
    expect(manifest).toMatchObject({
      manifestVersion: 1, runId: 'r1', state: 'success', startedAt: '2026-11-26T08:00:00.000Z', endedAt: '2026-11-26T08:01:00.000Z',
      format: 'csv', tables: { 'gold.fact_sales': 3 },
      inputs: [{ name: 'sales.csv', bytes: 10, sha256: 'ab'.repeat(32) }, { name: 'big.csv', sha256: null }],
      files: [{ name: 'fact_sales.csv', rows: 3 }],
    });
    expect(manifest.tasks[0].steps[0]).toEqual({ id: 'gold.fact_sales', state: 'success', rows: 3, durationMs: undefined, log: 'built' });
    expect(manifest.findings[0]).not.toHaveProperty('sample');
  });
});

describe('KPI workbook sheets', () => {
  it('are estimated at least as large as write-excel-file makes them', async () => {
    const rows: Row[] = [['product', 'sales', 'share']];
    for (let i = 0; i < 400; i++) rows.push([`Mountain-200 Black, ${i}`, 1_234_567.125 + i, i / 3]);
    const blob = await writeXlsxFile([{ sheet: 'sales', data: rows }]).toBlob();
    const files = unzipSync(new Uint8Array(await blob.arrayBuffer()));
    const actual = files['xl/worksheets/sheet1.xml'].length;
    expect(sheetXmlEstimate(rows)).toBeGreaterThanOrEqual(actual);
    expect(sheetXmlEstimate(rows)).toBeLessThan(actual * 2);
  });
});

describe('pacing', () => {
  it('reports progress, yields, and stops once cancelled', async () => {
    let cancelled = false;
    const seen: number[] = [];
    const pacer = new Pacer({ isCancelled: () => cancelled, onProgress: (p) => seen.push(p.rows) }, 0);
    const progress = (rows: number) => () => ({ file: 'f', rows, totalRows: 9, doneRows: rows, allRows: 9, bytes: 0 });
    await pacer.tick(progress(1));
    await pacer.tick(progress(2));
    expect(seen).toEqual([1, 2]);
    cancelled = true;
    await expect(pacer.tick(progress(3))).rejects.toThrow('cancelled by the user');
  });
});
