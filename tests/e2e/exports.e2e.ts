/**
 * Downloads in Chromium: the Power BI package (Parquet and CSV), the KPI workbook,
 * a table sorted as shown, one file of the package, cancelling, and the package
 * again after a reload restored the results. Files are read back with native DuckDB.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { strFromU8, unzipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { readKpis, runError, startHarness, waitForRunState, type AppPage, type Harness } from './harness.ts';
import { callsHandled, callsHeld, holdCalls, releaseCalls, watchCalls } from './worker-control.ts';

let harness: Harness;
let app: AppPage;
let dir: string;
let kpis: Record<string, number>;
/** Rows of gold.fact_sales in the sample run. */
let factRows: number;

before(async () => {
  harness = await startHarness();
  app = await harness.open();
  dir = await mkdtemp(path.join(os.tmpdir(), 'rw-e2e-exports-'));
});

after(async () => {
  await harness?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Clicks a download button and returns the saved file's name and bytes. */
async function download(page: Page, testId: string): Promise<{ name: string; bytes: Uint8Array; file: string }> {
  const [event] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), page.getByTestId(testId).click()]);
  const file = path.join(dir, `${Date.now()}-${event.suggestedFilename()}`);
  await event.saveAs(file);
  return { name: event.suggestedFilename(), bytes: new Uint8Array(await readFile(file)), file };
}

async function duck(sql: string): Promise<Record<string, unknown>[]> {
  const conn = await (await DuckDBInstance.create(':memory:')).connect();
  return (await conn.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
}

async function saveEntry(files: Record<string, Uint8Array>, name: string): Promise<string> {
  const target = path.join(dir, `${Date.now()}-${name}`);
  await writeFile(target, files[name]);
  return target;
}

test('the Power BI package downloads as one ZIP whose Parquet files open typed in DuckDB', { timeout: 240_000 }, async () => {
  const { page } = app;
  await page.getByTestId('load-sample').click();
  assert.equal(await waitForRunState(page, ['success', 'failed']), 'success', await runError(page));
  kpis = await readKpis(page);
  await page.getByRole('link', { name: 'Run', exact: true }).click();
  const zip = await download(page, 'download-package');
  assert.equal(zip.name, 'powerbi-parquet.zip');
  const files = unzipSync(zip.bytes);
  const names = Object.keys(files);
  assert.deepEqual(names.slice(0, 3), ['README.txt', 'run.json', 'dim_customers.parquet']);
  assert.ok(names.includes('fact_sales.parquet') && names.includes('kpi_overview.parquet') && names.includes('kpis.xlsx'), names.join(', '));
  const manifest = JSON.parse(strFromU8(files['run.json']));
  assert.equal(manifest.state, 'success');
  assert.equal(manifest.inputs.length, 6);
  const fact = manifest.files.find((f: { name: string }) => f.name === 'fact_sales.parquet');
  factRows = fact.rows;
  const parquet = await saveEntry(files, 'fact_sales.parquet');
  const [row] = await duck(`select count(*)::bigint as n, sum(sales_amount) as sales, typeof(any_value(order_date)) as date_type,
    typeof(any_value(customer_key)) as key_type from read_parquet('${parquet}')`);
  assert.equal(Number(row.n), fact.rows);
  assert.ok(Math.abs(Number(row.sales) - kpis.total_sales) < 1e-6 * kpis.total_sales, `${row.sales} vs ${kpis.total_sales}`);
  assert.deepEqual([row.date_type, row.key_type], ['DATE', 'BIGINT']);
  assert.match(strFromU8(files['README.txt']), /fact_sales\[customer_key\] -> dim_customers\[customer_key\]\s+many-to-one/);
  assert.equal(await page.getByTestId('download-status').getAttribute('data-state'), 'done');
});

test('the CSV package and the KPI workbook download too', { timeout: 120_000 }, async () => {
  const { page } = app;
  await page.getByTestId('package-format-csv').check();
  const zip = await download(page, 'download-package');
  assert.equal(zip.name, 'powerbi-csv.zip');
  const files = unzipSync(zip.bytes);
  const fact = strFromU8(files['fact_sales.csv']).trimEnd().split('\n');
  assert.equal(fact[0], 'order_number,product_key,customer_key,order_date,shipping_date,due_date,sales_amount,quantity,price');
  const overview = await saveEntry(files, 'kpi_overview.csv');
  const [row] = await duck(`select * from read_csv('${overview}')`);
  assert.equal(Number(row.total_orders), kpis.total_orders);

  const workbook = await download(page, 'download-kpi-xlsx');
  assert.equal(workbook.name, 'kpis.xlsx');
  const sheets = unzipSync(workbook.bytes);
  const names: string[] = strFromU8(sheets['xl/workbook.xml']).match(/name="[^"]+"/g) ?? [];
  assert.ok(names.includes('name="overview"') && names.includes('name="sales_by_month"'), names.join(' '));
});

test('a table downloads as shown on the Tables page, sorted', { timeout: 120_000 }, async () => {
  const { page } = app;
  await page.getByRole('link', { name: 'Tables', exact: true }).click();
  await page.getByTestId('table-gold.fact_sales').click();
  const preview = page.getByTestId('table-preview');
  const header = preview.locator('thead th').filter({ hasText: 'sales_amount' });
  await header.getByRole('button').click();
  await header.getByRole('button').click();
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="table-preview"] thead th')]
    .some((th) => th.textContent?.includes('sales_amount') && th.getAttribute('aria-sort') === 'descending'));
  const top = await preview.locator('tbody tr').first().locator('td').allInnerTexts();
  const csv = await download(page, 'download-table-csv');
  assert.equal(csv.name, 'fact_sales.csv');
  const lines = strFromU8(csv.bytes).trimEnd().split('\n');
  assert.equal(lines.length - 1, factRows);
  const first = lines[1].split(',');
  assert.equal(Number(first[6]), Number(top[6]), `the first row is the largest sale: ${lines[1]} vs ${top.join(',')}`);

  const pq = await download(page, 'download-table-parquet');
  assert.equal(pq.name, 'fact_sales.parquet');
  const [row] = await duck(`select count(*)::bigint as n, max(sales_amount) as top from read_parquet('${pq.file}')`);
  assert.equal(Number(row.n), lines.length - 1);
  assert.equal(Number(row.top), Number(top[6]));
});

test('one file of the package downloads on its own, and a download can be cancelled', { timeout: 120_000 }, async () => {
  const { page } = app;
  const readme = await download(page, 'download-README.txt');
  assert.match(strFromU8(readme.bytes), /^RETAIL ANALYTICS WORKBENCH - POWER BI PACKAGE/);
  // The package waits at the worker's door until the cancel has reached the worker: it cannot finish first.
  await holdCalls(page, ['exports.packageZip']);
  await watchCalls(page, ['jobs.cancel']);
  await page.getByTestId('download-package').click();
  await callsHeld(page, 1);
  await page.getByTestId('download-cancel').click();
  await callsHandled(page, 'jobs.cancel', 1);
  await releaseCalls(page);
  await page.locator('[data-testid="download-status"][data-state="cancelled"]').waitFor({ timeout: 60_000 });
  assert.deepEqual(await readKpis(page), kpis, 'the results are unchanged');
  const csv = await download(page, 'download-dim_products.csv');
  assert.match(strFromU8(csv.bytes), /^product_key,product_id,product_number,/);
});

test('after a reload restored the results, the package is built from them', { timeout: 180_000 }, async () => {
  const { page } = app;
  await page.reload();
  await page.locator('[data-testid="kpi-total_sales"][data-value]').waitFor({ timeout: 120_000 });
  assert.deepEqual(await readKpis(page), kpis);
  const zip = await download(page, 'download-package');
  const files = unzipSync(zip.bytes);
  const manifest = JSON.parse(strFromU8(files['run.json']));
  assert.equal(manifest.state, 'success');
  assert.ok(manifest.files.some((f: { name: string; rows: number }) => f.name === 'fact_sales.parquet' && f.rows > 0));
});

test('the page only talked to its own origin, under a strict CSP', async () => {
  await harness.close(app);
});
