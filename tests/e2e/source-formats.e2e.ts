/**
 * The real export as people receive it, through the Data page in Chromium: one workbook with
 * six sheets (file picker), a ZIP of the CSVs (dropped) and Parquet files (file picker) give the
 * KPIs and tables of the CSV run; a zip bomb and an encrypted workbook are refused, named, and
 * the last good results stay. Fixtures are built here from the real CSVs (tests/fixtures).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { encrypt } from 'officecrypto-tool';
import type { Page } from 'playwright-core';
import { exportFiles, parquetFiles, readExport, workbook, zipOf, type CsvTable } from '../fixtures/source-formats.ts';
import { datasetDir, REAL_FILES, runError, startHarness, type AppPage, type Harness } from './harness.ts';
import { choose, errorMatching, nav, nextRunEnds, runStates, shownKpis, sqlRow, watchRuns, type Fixture } from './page-actions.ts';

/** The tables compared between runs: silver, gold, KPIs and segments. */
const COMPARED = [
  'silver.crm_cust_info', 'silver.crm_prd_info', 'silver.crm_sales_details', 'silver.erp_cust_az12', 'silver.erp_loc_a101',
  'silver.erp_px_cat_g1v2', 'gold.dim_customers', 'gold.dim_products', 'gold.fact_sales', 'kpi.overview',
  'kpi.sales_by_month', 'segmentation.customer_segments',
];

let harness: Harness;
let app: AppPage;
let tables: CsvTable[];
let csvKpis: Record<string, number>;
let csvPrint: Record<string, string>;

before(async () => {
  tables = await readExport(datasetDir);
  harness = await startHarness();
  app = await harness.open({ width: 1360, height: 900 });
});

after(async () => {
  await harness?.stop();
});

/** Row count and an order-independent hash of every compared table. */
async function fingerprint(page: Page, tag: string): Promise<Record<string, string>> {
  const alias = (table: string) => `${tag}_${table.replace('.', '_')}`;
  const sql = 'select\n' + COMPARED.map((t) => `  (select count(*) || ':' || sum(hash(x)) from ${t} as x) as ${alias(t)}`).join(',\n');
  const row = await sqlRow(page, sql, alias(COMPARED.at(-1)!));
  return Object.fromEntries(COMPARED.map((t) => [t, row[alias(t)]]));
}

/** Empties the list and starts watching for the next run. */
async function fresh(page: Page): Promise<void> {
  await nav(page, 'Data');
  const removeAll = page.getByRole('button', { name: 'Remove all', exact: true });
  if (await removeAll.count()) await removeAll.click();
  await watchRuns(page);
}

/** The run these files start succeeds with the CSV run's KPIs and tables. */
async function expectCsvFigures(page: Page, tag: string): Promise<void> {
  assert.equal(await nextRunEnds(page), 'success', `the run failed: ${await runError(page)}`);
  assert.deepEqual(await shownKpis(page), csvKpis, 'the KPI cards equal those of the CSV run');
  assert.deepEqual(await fingerprint(page, tag), csvPrint, 'every silver, gold, KPI and segment table is the same');
}

/** The Data page's list: the names of the recognised entries. */
async function listedOk(page: Page, count: number): Promise<string[]> {
  await nav(page, 'Data');
  const listed = page.locator('[data-testid="source-file"][data-state="ok"]');
  await listed.nth(count - 1).waitFor();
  assert.equal(await listed.count(), count);
  return listed.allInnerTexts();
}

test('the CSV run: the figures the other formats must give', { timeout: 240_000 }, async () => {
  const { page } = app;
  await watchRuns(page);
  await choose(page, REAL_FILES);
  assert.equal(await nextRunEnds(page), 'success', `the run failed: ${await runError(page)}`);
  csvKpis = await shownKpis(page);
  assert.ok(csvKpis.total_sales > 29_000_000, `total sales of the real export: ${csvKpis.total_sales}`);
  csvPrint = await fingerprint(page, 'csv');
  for (const [table, print] of Object.entries(csvPrint)) assert.match(print, /^[1-9]\d*:-?\d+$/, `${table} has rows: ${print}`);
});

test('one workbook with six sheets, chosen in the file picker, gives the figures of the CSV run', { timeout: 240_000 }, async () => {
  const { page } = app;
  assert.ok(csvPrint, 'needs the CSV run of the first test');
  await fresh(page);
  await choose(page, [{ name: 'export.xlsx', bytes: await workbook(tables, 'date') }]);
  await expectCsvFigures(page, 'xlsx');
  const names = await listedOk(page, 6);
  for (const t of tables) {
    const sheet = path.basename(t.file, '.csv');
    assert.ok(names.some((n) => n.startsWith(`export.xlsx › ${sheet}`)), `the sheet ${sheet} is listed: ${names.join(' / ')}`);
  }
});

test('a ZIP of the CSVs in their folders, dropped on the page, gives the figures of the CSV run', { timeout: 240_000 }, async () => {
  const { page } = app;
  assert.ok(csvPrint, 'needs the CSV run of the first test');
  await fresh(page);
  const zip = zipOf(await exportFiles(datasetDir, tables));
  await page.evaluate(({ name, base64 }) => {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const data = new DataTransfer();
    data.items.add(new File([bytes], name, { type: 'application/zip' }));
    document.querySelector('[data-testid="drop-zone"]')?.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
  }, { name: 'export.zip', base64: Buffer.from(zip).toString('base64') });
  await expectCsvFigures(page, 'zip');
  const names = await listedOk(page, 6);
  assert.ok(names.some((n) => n.startsWith('export.zip › source_crm/sales_details.csv')), `entries are listed by path: ${names.join(' / ')}`);
});

test('Parquet files with typed columns in another order and case give the figures of the CSV run', { timeout: 240_000 }, async () => {
  const { page } = app;
  assert.ok(csvPrint, 'needs the CSV run of the first test');
  await fresh(page);
  const parquet: Fixture[] = await parquetFiles(datasetDir, tables);
  await choose(page, parquet);
  await expectCsvFigures(page, 'parquet');
});

test('a zip bomb and an encrypted workbook are refused, naming the file and entry; nothing runs, the KPIs stay', { timeout: 120_000 }, async () => {
  const { page } = app;
  assert.ok(csvKpis, 'needs the good runs of the earlier tests');
  await fresh(page);
  const others = REAL_FILES.filter((f) => !f.endsWith('sales_details.csv')).map((f) => ({ name: path.basename(f), bytes: readFileSync(f) }));
  const bomb = zipOf({ 'sales.csv': new Uint8Array(64 * 1024 * 1024).fill(48) });
  await choose(page, [...others, { name: 'sales.zip', bytes: bomb }]);
  await errorMatching(page, /sales\.zip › sales\.csv inflates past the safety limit .* refused as a possible zip bomb/);

  await fresh(page);
  const sales = tables.filter((t) => t.file.endsWith('sales_details.csv'));
  const locked = new Uint8Array(encrypt(Buffer.from(await workbook(sales)), { password: 'secret' }));
  await choose(page, [...others, { name: 'sales.xlsx', bytes: locked }]);
  await errorMatching(page, /sales\.xlsx is password-protected \(encrypted\) or an old binary \.xls workbook/);
  assert.ok(await page.getByTestId('run-pipeline').isDisabled(), 'the run button is disabled');
  assert.ok(!(await runStates(page)).includes('running'), `no run started: ${(await runStates(page)).join(' → ')}`);
  assert.deepEqual(await shownKpis(page), csvKpis, 'the KPIs of the last good run are shown');
});

test('the page only talked to its own origin, with no console errors or CSP violations', async () => {
  await harness.close(app);
});
