/**
 * Dashboards on the real export in Chromium: filtered KPI cards checked against our own
 * SQL over the raw CSVs in native DuckDB (not our models), cross-filtering by a click and
 * from the keyboard, a click answered by a statement prepared ahead, chart downloads, and
 * filters restored from the URL.
 */
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { Page } from 'playwright-core';
import {
  datasetDir, readKpis, REAL_FILES, repoRoot, runError, startHarness, waitForRunState, type AppPage, type Harness,
} from './harness.ts';

interface Slice { country?: string; category?: string; from?: string; to?: string }

const csvPath = (file: string) => `'${path.join(datasetDir, file).replaceAll("'", "''")}'`;

/** The documented silver and gold rules, written again from scratch over the raw files. */
const REFERENCE_LINES = `
create table lines as
with
sales as (
    select
        trim(sls_ord_num) as order_number,
        trim(sls_prd_key) as product_number,
        try_cast(trim(sls_cust_id) as bigint) as customer_id,
        case when regexp_full_match(trim(sls_order_dt), '[0-9]{8}') then try_strptime(trim(sls_order_dt), '%Y%m%d')::date end as order_date,
        try_cast(trim(sls_sales) as double) as raw_sales,
        try_cast(trim(sls_quantity) as double) as quantity,
        try_cast(trim(sls_price) as double) as raw_price,
    from read_csv(${csvPath('source_crm/sales_details.csv')}, all_varchar = true)
),
customers as (
    select distinct try_cast(trim(cst_id) as bigint) as customer_id, trim(cst_key) as customer_key,
    from read_csv(${csvPath('source_crm/cust_info.csv')}, all_varchar = true)
    where try_cast(trim(cst_id) as bigint) is not null
),
countries as (
    select replace(trim(CID), '-', '') as customer_key,
        min(case when upper(trim(CNTRY)) = 'DE' then 'Germany' when upper(trim(CNTRY)) in ('US', 'USA') then 'United States'
            else coalesce(nullif(trim(CNTRY), ''), 'n/a') end) as country,
    from read_csv(${csvPath('source_erp/LOC_A101.csv')}, all_varchar = true)
    group by 1
),
product_versions as (
    select trim(prd_key) as prd_key, try_cast(trim(prd_start_dt) as date) as start_date,
    from read_csv(${csvPath('source_crm/prd_info.csv')}, all_varchar = true)
),
current_products as (
    select substr(prd_key, 7) as product_number, replace(substr(prd_key, 1, 5), '-', '_') as category_id,
    from product_versions
    qualify start_date = max(start_date) over (partition by prd_key)
),
categories as (
    select trim(ID) as category_id, trim(CAT) as category,
    from read_csv(${csvPath('source_erp/PX_CAT_G1V2.csv')}, all_varchar = true)
)
select
    s.order_number, s.order_date, s.quantity,
    case when s.raw_sales is null or s.raw_sales <= 0 or (s.raw_price is not null and s.raw_sales <> s.quantity * abs(s.raw_price))
        then s.quantity * abs(s.raw_price) else s.raw_sales end as amount,
    c.customer_id as known_customer,
    coalesce(k.country, 'n/a') as country,
    coalesce(g.category, 'n/a') as category,
from sales as s
left join customers as c on c.customer_id = s.customer_id
left join countries as k on k.customer_key = c.customer_key
left join current_products as p on p.product_number = s.product_number
left join categories as g on g.category_id = p.category_id`;

let harness: Harness;
let app: AppPage;
let db: DuckDBConnection;

async function reference(slice: Slice): Promise<Record<string, number>> {
  const reader = await db.runAndReadAll(
    `select sum(amount) as total_sales, sum(quantity) as total_units, count(distinct order_number) as total_orders,
        count(distinct known_customer) as total_customers
     from lines
     where ($country is null or country = $country) and ($category is null or category = $category)
       and ($from is null or order_date >= $from::date) and ($to is null or order_date <= $to::date)`,
    { country: slice.country ?? null, category: slice.category ?? null, from: slice.from ?? null, to: slice.to ?? null },
  );
  const [row] = reader.getRowObjectsJS();
  const n = (v: unknown) => Number(v);
  const sales = n(row.total_sales);
  return {
    total_sales: sales, total_units: n(row.total_units), total_orders: n(row.total_orders), total_customers: n(row.total_customers),
    avg_order_value: sales / n(row.total_orders), avg_unit_price: sales / n(row.total_units),
  };
}

function assertKpis(shown: Record<string, number>, expected: Record<string, number>, what: string) {
  for (const [measure, value] of Object.entries(expected)) {
    assert.ok(Math.abs(shown[measure] - value) <= 1e-9 * Math.max(1, Math.abs(value)), `${what}: ${measure} shows ${shown[measure]}, expected ${value}`);
  }
}

/** Waits until the dashboard answered the latest change and every chart on the page is drawn. */
async function waitForCharts(page: Page) {
  await page.waitForFunction(() => {
    const charts = [...document.querySelectorAll('[data-testid^="chart-"][data-state]')];
    return document.querySelector('[data-testid="dashboard"]')?.getAttribute('data-state') === 'ready'
      && charts.length > 0 && charts.every((c) => c.getAttribute('data-state') === 'ready');
  }, null, { timeout: 60_000 });
}

async function screenshot(page: Page, name: string) {
  if (process.env.SCREENSHOTS !== '1') return;
  await mkdir(path.join(repoRoot, 'docs'), { recursive: true });
  await page.screenshot({ path: path.join(repoRoot, 'docs', `dashboard-${name}.png`), fullPage: true });
}

before(async () => {
  const instance = await DuckDBInstance.create(':memory:');
  db = await instance.connect();
  await db.run(REFERENCE_LINES);
  harness = await startHarness();
  app = await harness.open();
  await app.page.getByTestId('source-files').setInputFiles(REAL_FILES);
  const state = await waitForRunState(app.page, ['success', 'failed']);
  assert.equal(state, 'success', `the run failed: ${await runError(app.page)}`);
});

after(async () => {
  try {
    if (app) await harness.close(app);
  } finally {
    await harness?.stop();
    db?.closeSync();
  }
});

test('with a country, a category and a year chosen, the KPI cards show what our own SQL computes', { timeout: 120_000 }, async () => {
  const { page } = app;
  await page.getByRole('link', { name: 'Dashboards', exact: true }).click();
  await waitForCharts(page);
  assertKpis(await readKpis(page), await reference({}), 'no filters');
  await screenshot(page, 'executive');

  await page.getByLabel('Country', { exact: true }).selectOption('United Kingdom');
  await page.getByLabel('Category', { exact: true }).selectOption('Bikes');
  await page.getByLabel('From', { exact: true }).fill('2013-01-01');
  await page.getByLabel('To', { exact: true }).fill('2013-12-31');
  await page.waitForFunction(() => location.hash.includes('to=2013-12-31'));
  await waitForCharts(page);
  assert.equal(await page.getByTestId('filter-chip').count(), 3, 'one chip per filter: dates, category, country');
  assertKpis(await readKpis(page), await reference({ country: 'United Kingdom', category: 'Bikes', from: '2013-01-01', to: '2013-12-31' }), 'UK, Bikes, 2013');

  // The same filters on another dashboard: its cards and charts follow.
  await page.getByTestId('dashboard-tab-customers').click();
  await waitForCharts(page);
  assert.match(page.url(), /#\/dashboards\/customers\?.*country=United\+Kingdom/);
  assertKpis(await readKpis(page), await reference({ country: 'United Kingdom', category: 'Bikes', from: '2013-01-01', to: '2013-12-31' }), 'customers page');

  await page.getByRole('button', { name: 'Clear all filters' }).click();
  await waitForCharts(page);
  assert.equal(await page.getByTestId('filter-chip').count(), 0);
  assertKpis(await readKpis(page), await reference({}), 'after clearing');
});

test('clicking a bar cross-filters every other chart; a table-view button does the same from the keyboard', { timeout: 120_000 }, async () => {
  const { page } = app;
  await page.getByTestId('dashboard-tab-executive').click();
  await waitForCharts(page);
  const countriesBefore = await page.getByTestId('chart-sales-by-country').locator('path[aria-roledescription="bar"]').evaluateAll((bars) => bars.map((b) => b.getAttribute('aria-label')));

  await page.getByTestId('chart-sales-by-category').locator('path[aria-label*="Category: Bikes;"]').click();
  await page.waitForFunction(() => location.hash.includes('category=Bikes'));
  await waitForCharts(page);
  assert.match(await page.getByTestId('filter-chip').first().innerText(), /Category:\s*Bikes/);
  assertKpis(await readKpis(page), await reference({ category: 'Bikes' }), 'after the click on Bikes');
  const countriesAfter = await page.getByTestId('chart-sales-by-country').locator('path[aria-roledescription="bar"]').evaluateAll((bars) => bars.map((b) => b.getAttribute('aria-label')));
  assert.notDeepEqual(countriesAfter, countriesBefore, 'the country chart now shows Bikes only');
  // The clicked chart keeps its other bars, dimmed.
  const opacities = await page.getByTestId('chart-sales-by-category').locator('path[aria-roledescription="bar"]').evaluateAll((bars) => bars.map((b) => b.getAttribute('opacity')));
  assert.ok(opacities.includes('1') && opacities.some((o) => Number(o) < 1), `one bar highlighted: ${opacities.join(', ')}`);

  // Keyboard: the country chart's table view has a button per country.
  await page.getByRole('button', { name: 'Show Revenue by country as a table' }).click();
  const france = page.getByTestId('table-sales-by-country').getByRole('button', { name: 'France', exact: true });
  await france.focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => location.hash.includes('country=France'));
  await waitForCharts(page);
  assertKpis(await readKpis(page), await reference({ category: 'Bikes', country: 'France' }), 'Bikes in France');

  // Chips come off one by one.
  await page.getByRole('button', { name: 'Remove filter Category: Bikes' }).click();
  await waitForCharts(page);
  assertKpis(await readKpis(page), await reference({ country: 'France' }), 'France after removing Bikes');
  await page.getByRole('button', { name: 'Clear all filters' }).click();
  await waitForCharts(page);
});

test('after a pause, the next click runs a statement the worker prepared ahead, with the same figures', { timeout: 120_000 }, async () => {
  const { page } = app;
  await page.getByTestId('dashboard-tab-executive').click();
  await waitForCharts(page);
  // A shape of statement not run before in this session: a first day alone, then a category.
  await page.getByLabel('From', { exact: true }).fill('2012-06-20');
  await page.waitForFunction(() => location.hash.includes('from=2012-06-20'));
  await waitForCharts(page);
  // The page says when the worker has prepared the states one step away (a user's pause).
  await page.locator('[data-testid="dashboard"][data-prepared-ahead="done"]').waitFor({ timeout: 60_000 });
  const round = await page.evaluate(() => (performance.getEntriesByName('dash:prepared').pop() as PerformanceMark | undefined)?.detail);
  assert.ok(round?.complete && round.prepared > 0, `a round prepared statements: ${JSON.stringify(round)}`);

  await page.getByTestId('chart-sales-by-category').locator('path[aria-label*="Category: Clothing;"]').click();
  await page.waitForFunction(() => location.hash.includes('category=Clothing'));
  await waitForCharts(page);
  const answer = await page.evaluate(() => (performance.getEntriesByName('dash:arrive').pop() as PerformanceMark | undefined)?.detail);
  assert.ok(answer?.queried > 0, `the engine was asked: ${JSON.stringify(answer)}`);
  assert.equal(answer.prepareMs, 0, 'nothing was prepared for the click');
  assertKpis(await readKpis(page), await reference({ category: 'Clothing', from: '2012-06-20' }), 'Clothing from 2012-06-20');
  await page.getByRole('button', { name: 'Clear all filters' }).click();
  await waitForCharts(page);
});

test('each chart downloads as PNG, SVG and CSV', { timeout: 60_000 }, async () => {
  const { page } = app;
  await page.getByTestId('dashboard-tab-executive').click();
  await waitForCharts(page);
  const files: Record<string, Buffer> = {};
  for (const kind of ['png', 'svg', 'csv']) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(`chart-sales-by-category-${kind}`).click()]);
    assert.equal(download.suggestedFilename(), `sales-by-category.${kind}`);
    files[kind] = await readFile(await download.path());
  }
  assert.deepEqual([...files.png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG file');
  assert.match(files.svg.toString('utf8'), /^<svg[\s\S]*Bikes[\s\S]*<\/svg>\s*$/, 'an SVG document with the bars');
  const csv = files.csv.toString('utf8').trim().split('\r\n');
  assert.equal(csv[0], 'Category,Sales,Units,Share of sales');
  const bikes = csv.find((l) => l.startsWith('Bikes,'))?.split(',');
  assert.ok(bikes, 'a row for Bikes');
  assert.equal(Number(bikes[1]), (await reference({ category: 'Bikes' })).total_sales, 'raw, unrounded sales');
});

test('the URL restores the filters, and hostile values in it are only data', { timeout: 90_000 }, async () => {
  const { page } = app;
  await page.goto(`${harness.origin}/index.html#/dashboards/products?country=Germany&category=Bikes&from=2012-01-01&to=2012-12-31`);
  await waitForCharts(page);
  assert.equal(await page.getByTestId('dashboard').getAttribute('data-page'), 'products');
  assert.equal(await page.getByLabel('Country', { exact: true }).inputValue(), 'Germany');
  assert.equal(await page.getByLabel('Category', { exact: true }).inputValue(), 'Bikes');
  assert.equal(await page.getByLabel('From', { exact: true }).inputValue(), '2012-01-01');
  assertKpis(await readKpis(page), await reference({ country: 'Germany', category: 'Bikes', from: '2012-01-01', to: '2012-12-31' }), 'restored from the URL');
  await screenshot(page, 'products');

  // Away and back through the main navigation: the filters of the visit come back.
  await page.getByRole('link', { name: 'Tables', exact: true }).click();
  await page.getByRole('link', { name: 'Dashboards', exact: true }).click();
  await waitForCharts(page);
  assert.equal(await page.getByTestId('dashboard').getAttribute('data-page'), 'executive');
  assert.equal(await page.getByTestId('filter-chip').count(), 3);
  assert.match(page.url(), /country=Germany/);

  const hostile = "'); drop table gold.fact_sales; --";
  await page.goto(`${harness.origin}/index.html#/dashboards/executive?country=${encodeURIComponent(hostile)}`);
  await waitForCharts(page);
  assert.match(await page.getByTestId('filter-chip').innerText(), /drop table gold\.fact_sales/);
  assert.equal(await page.getByTestId('kpi-total_sales').getAttribute('data-value'), '0');
  await page.getByRole('button', { name: 'Clear all filters' }).click();
  await waitForCharts(page);
  assertKpis(await readKpis(page), await reference({}), 'the data is all still there');
});

test('every dashboard page draws; screenshots in light and dark', { timeout: 120_000 }, async () => {
  const { page } = app;
  for (const id of ['customers', 'segments', 'quality']) {
    await page.getByTestId(`dashboard-tab-${id}`).click();
    await waitForCharts(page);
    await screenshot(page, id);
  }
  await page.getByTestId('dashboard-tab-segments').click();
  await waitForCharts(page);
  assert.match(await page.getByTestId('rfm-rules').innerText(), /Ties are broken by the other measures/, 'the page says how scores are computed');
  await page.getByRole('button', { name: 'Show RFM segments as a table' }).click();
  const named = await page.getByTestId('table-rfm-segments').locator('tbody th[scope="row"]').allInnerTexts();
  assert.deepEqual([...named].sort(), ['At Risk', 'Cannot Lose Them', 'Champions', 'Hibernating',
    'Loyal Customers', 'Need Attention', 'New Customers', 'Potential Loyalists'], `every named RFM segment has customers: ${named.join(', ')}`);
  await page.getByRole('button', { name: 'Show customers' }).first().click();
  await page.waitForFunction(() => location.hash.includes('segment=High'));
  await waitForCharts(page);
  const segments = await page.getByTestId('table-segment-customers').locator('tbody tr td:nth-child(4)').allInnerTexts();
  assert.ok(segments.length > 0 && segments.every((s) => s === 'High'), 'the list shows the High segment\'s customers');
  await page.getByRole('button', { name: 'Clear all filters' }).click();

  await page.emulateMedia({ colorScheme: 'dark' });
  await page.getByTestId('dashboard-tab-executive').click();
  await waitForCharts(page);
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  await screenshot(page, 'executive-dark');
  await page.emulateMedia({ colorScheme: 'light' });
});
