/**
 * The real export through the page's file input in Chromium: the same data in other
 * dialects and encodings gives the same results as the clean files, and bad files get a
 * message naming the file (and the line) while the last good results stay as they were.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import type { Page } from 'playwright-core';
import {
  editRow, fromWindows1252, otherCase, parseCsv, reshuffle, utf16le, utf8, utf8WithBom, windows1252, writeCsv, type Rows,
} from '../fixtures/dialects.ts';
import {
  datasetDir, readKpis, REAL_FILES, runError, startHarness, TASK_IDS, type AppPage, type Harness,
} from './harness.ts';
import { referenceKpis } from './kpi-reference.ts';
import { SLICE_RECORDS } from '../../src/pipeline/slices.ts';
import {
  choose, errorMatching, nav, nextRunEnds, removeFile, runStates, shownKpis, sqlRow, watchRuns, type Fixture,
} from './page-actions.ts';

const LAST_NAME = 'Müller, "Ünal" | Jr.; II\nSr.';
const LAST_NAME_SQL = `'Müller, "Ünal" | Jr.; II' || chr(10) || 'Sr.'`;
const EXTRA = { name: 'Extra Notes', value: 'kept, "as is"' };
/** The tables compared between runs: silver, quarantine, gold, KPIs and segments. */
const COMPARED = [
  'silver.crm_cust_info', 'silver.crm_prd_info', 'silver.crm_sales_details', 'silver.erp_cust_az12', 'silver.erp_loc_a101',
  'silver.erp_px_cat_g1v2', 'rejects.crm_cust_info', 'rejects.repairs', 'gold.dim_customers', 'gold.dim_products',
  'gold.fact_sales', 'kpi.overview', 'kpi.sales_by_subcategory', 'segmentation.customer_segments',
];
/** What text in the wrong encoding looks like: UTF-8 read as Windows-1252, or replacement characters. */
const MOJIBAKE = /Ã|â‚¬|â€|\uFFFD/;

const real = Object.fromEntries(REAL_FILES.map((f) => [path.basename(f), readFileSync(f, 'utf8')]));
/** The real export, with accents, a euro sign, an en dash and a value holding every delimiter, quotes and a line break. */
const rows: Record<string, Rows> = Object.fromEntries(Object.entries(real).map(([name, text]) => [name, parseCsv(text)]));
rows['cust_info.csv'] = editRow(rows['cust_info.csv'], 'cst_id', '11000', { cst_firstname: 'José', cst_lastname: LAST_NAME });
rows['PX_CAT_G1V2.csv'] = editRow(
  editRow(rows['PX_CAT_G1V2.csv'], 'ID', 'BI_RB', { SUBCAT: 'Road Bikes €' }), 'ID', 'BI_TB', { SUBCAT: 'Touring Bikes – Été' },
);
/** As the export writes them: commas, CRLF, UTF-8 without a byte order mark. */
const clean: Fixture[] = Object.entries(rows).map(([name, r]) => ({ name, bytes: utf8(writeCsv(r)) }));
const cleanFile = (name: string) => clean.find((f) => f.name === name)!;

const reshuffled = reshuffle(rows['CUST_AZ12.csv'], otherCase, EXTRA);
/**
 * Each file in another dialect or encoding, with the rows it holds (checked by reading it back):
 * UTF-16 LE + pipes, tabs, UTF-8 BOM + CRLF, another header (case, spaces, order, an extra
 * column), semicolons with every field quoted, Windows-1252.
 */
const variants: (Fixture & { encoding: string; delimiter: string; data: Rows })[] = [
  variant('cust_info.csv', 'utf-16le', writeCsv(rows['cust_info.csv'], { delimiter: '|', eol: '\n' }), '|'),
  variant('prd_info.csv', 'utf-8', writeCsv(rows['prd_info.csv'], { delimiter: '\t', eol: '\n' }), '\t'),
  variant('sales_details.csv', 'utf-8-bom', writeCsv(rows['sales_details.csv']), ','),
  variant('CUST_AZ12.csv', 'utf-8', writeCsv(reshuffled, { eol: '\n' }), ',', reshuffled),
  variant('LOC_A101.csv', 'utf-8', writeCsv(rows['LOC_A101.csv'], { delimiter: ';', quoteAll: true, eol: '\n' }), ';'),
  variant('PX_CAT_G1V2.csv', 'windows-1252', writeCsv(rows['PX_CAT_G1V2.csv']), ','),
];

function variant(name: string, encoding: string, text: string, delimiter: string, data = rows[name]) {
  const encode = { 'utf-8': utf8, 'utf-8-bom': utf8WithBom, 'utf-16le': utf16le, 'windows-1252': windows1252 }[encoding]!;
  return { name, bytes: encode(text), encoding, delimiter, data };
}

let harness: Harness;
let app: AppPage;
let scratch: string;
let cleanKpis: Record<string, number>;
let cleanPrint: Record<string, string>;

before(async () => {
  harness = await startHarness();
  scratch = await mkdtemp(path.join(tmpdir(), 'e2e-input-'));
  app = await harness.open({ width: 1360, height: 900 });
  await watchRuns(app.page);
});

after(async () => {
  await harness?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Row count and an order-independent hash of every compared table. */
async function fingerprint(page: Page, tag: string): Promise<Record<string, string>> {
  const alias = (table: string) => `${tag}_${table.replace('.', '_')}`;
  const sql = 'select\n' + COMPARED.map((t) => `  (select count(*) || ':' || sum(hash(x)) from ${t} as x) as ${alias(t)}`).join(',\n');
  const row = await sqlRow(page, sql, alias(COMPARED.at(-1)!));
  return Object.fromEntries(COMPARED.map((t) => [t, row[alias(t)]]));
}

/** The customer with the accented name and the multi-line last name, read back from gold. */
async function checkCustomer(page: Page, tag: string): Promise<void> {
  const row = await sqlRow(page,
    `select first_name as ${tag}_first, last_name = ${LAST_NAME_SQL} as ${tag}_exact, length(last_name) as ${tag}_len\n` +
    'from gold.dim_customers where customer_id = 11000', `${tag}_len`);
  assert.equal(row[`${tag}_first`], 'José', 'the accented first name is shown as written');
  assert.equal(row[`${tag}_exact`], 'true', 'the last name keeps its comma, pipe, semicolon, quotes and line break');
  assert.equal(Number(row[`${tag}_len`]), [...LAST_NAME].length);
}

/** The subcategory names with a euro sign, an en dash and accents, as the dashboards show them. */
async function checkDashboards(page: Page): Promise<void> {
  await page.evaluate(() => { location.hash = '#/dashboards/executive'; });
  await page.locator('[data-testid="chart-sales-by-subcategory"][data-state="ready"]').waitFor({ timeout: 60_000 });
  const labels = await page.locator('[data-testid="chart-sales-by-subcategory"] svg text').allTextContents();
  assert.ok(labels.includes('Road Bikes €'), `the chart's axis reads "Road Bikes €": ${labels.join(' | ')}`);
  assert.doesNotMatch(await page.locator('main').innerText(), MOJIBAKE, 'no mojibake on the executive dashboard');

  await page.evaluate(() => { location.hash = '#/dashboards/products'; });
  await page.locator('[data-testid="chart-product-details"][data-state="ready"]').waitFor({ timeout: 60_000 });
  const table = await page.getByTestId('table-product-details').innerText();
  assert.match(table, /Road Bikes €/);
  assert.match(table, /Touring Bikes – Été/);
  assert.doesNotMatch(await page.locator('main').innerText(), MOJIBAKE, 'no mojibake on the products dashboard');
}

test('the fixtures hold the real data: the writer reproduces each real file, and every variant reads back to the same rows', () => {
  for (const [name, text] of Object.entries(real)) {
    // The writer ends every line with CRLF; one real file lacks it on its last line.
    assert.ok(writeCsv(parseCsv(text)) === (text.endsWith('\r\n') ? text : `${text}\r\n`), `${name} is written back as it was`);
  }
  for (const v of variants) {
    const text = v.encoding === 'windows-1252' ? fromWindows1252(v.bytes) : new TextDecoder(v.encoding.replace('-bom', '')).decode(v.bytes);
    assert.ok(isDeepStrictEqual(parseCsv(text, v.delimiter), v.data), `${v.name} reads back to the same rows`);
    assert.notDeepEqual(v.bytes, cleanFile(v.name).bytes, `${v.name} differs from the clean file`);
  }
  assert.deepEqual([...variants[0].bytes.subarray(0, 2)], [0xff, 0xfe], 'UTF-16 LE with a byte order mark');
  assert.deepEqual([...variants[2].bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 with a byte order mark');
  assert.ok(variants[5].bytes.includes(0x80) && variants[5].bytes.includes(0x96), 'Windows-1252 bytes for € and –');
});

test('the real export with accents and a multi-line quoted value runs to success; KPIs match an independent computation',
  { timeout: 240_000 }, async () => {
    const { page } = app;
    await choose(page, clean);
    assert.equal(await nextRunEnds(page), 'success', `the run failed: ${await runError(page)}`);
    for (const id of TASK_IDS) assert.equal(await page.getByTestId(`task-${id}`).getAttribute('data-state'), 'success', id);
    cleanKpis = await shownKpis(page);
    const expected = referenceKpis(datasetDir);
    assert.ok(Math.abs(cleanKpis.total_sales - expected.total_sales) < 0.01, `total_sales ${cleanKpis.total_sales} ≠ ${expected.total_sales}`);
    assert.equal(cleanKpis.total_units, expected.total_units);
    assert.equal(cleanKpis.total_orders, expected.total_orders);
    assert.equal(cleanKpis.total_customers, expected.total_customers);
    await checkCustomer(page, 'clean');
    cleanPrint = await fingerprint(page, 'clean');
    for (const [table, print] of Object.entries(cleanPrint)) assert.match(print, /^\d+:\d+$/, `${table} has rows: ${print}`);
  });

test('each file in another dialect or encoding gives the same results as the clean files', { timeout: 240_000 }, async () => {
  const { page } = app;
  assert.ok(cleanPrint, 'needs the clean run of the previous test');
  await nav(page, 'Data');
  await page.getByRole('button', { name: 'Remove all', exact: true }).click();
  await watchRuns(page);
  await choose(page, variants);
  assert.equal(await nextRunEnds(page), 'success', `the run failed: ${await runError(page)}`);
  // The run starts as soon as the six are recognised; the list stays on the Data page.
  await nav(page, 'Data');
  const labels: Record<string, string> = {
    'cust_info.csv': 'CRM customers', 'prd_info.csv': 'CRM products', 'sales_details.csv': 'CRM sales',
    'CUST_AZ12.csv': 'ERP customers', 'LOC_A101.csv': 'ERP locations', 'PX_CAT_G1V2.csv': 'ERP product categories',
  };
  const listed = page.locator('[data-testid="source-file"][data-state="ok"]');
  await listed.nth(5).waitFor();
  assert.equal(await listed.count(), 6);
  for (const text of await listed.allInnerTexts()) {
    const name = Object.keys(labels).find((n) => text.startsWith(n));
    assert.ok(name, `a listed file: ${text}`);
    assert.ok(text.includes(labels[name]), `${name} is recognised as ${labels[name]}: ${text}`);
  }
  assert.deepEqual(await shownKpis(page), cleanKpis, 'the KPI cards equal those of the clean files');
  await checkCustomer(page, 'variant');
  assert.deepEqual(await fingerprint(page, 'variant'), cleanPrint, 'every silver, gold, KPI and segment table is the same');
  const extra = await sqlRow(page,
    'select count(*) as extra_rows, count(*) filter (where "extra notes" = \'kept, "as is"\') as extra_kept from bronze.erp_cust_az12', 'extra_kept');
  assert.ok(Number(extra.extra_rows) > 18_000, `bronze has the ERP customers: ${extra.extra_rows}`);
  assert.equal(extra.extra_kept, extra.extra_rows, 'the extra column is kept in bronze, its quoted comma and quotes intact');
  await checkDashboards(page);
});

test('files that cannot be used are named on the Data page, nothing runs, and the KPIs stay', { timeout: 120_000 }, async () => {
  const { page } = app;
  assert.ok(cleanKpis, 'needs the good run of the earlier tests');
  await nav(page, 'Data');
  // The page changes after the click: wait for the list before counting it.
  await page.locator('[data-testid="source-file"][data-state="ok"]').nth(5).waitFor({ timeout: 10_000 });
  assert.equal(await page.locator('[data-testid="source-file"][data-state="ok"]').count(), 6, 'starts from a complete set');
  const stateBefore = await page.getByTestId('run-status').getAttribute('data-state');
  await watchRuns(page);

  await choose(page, [{ name: 'empty.csv', bytes: new Uint8Array() }]);
  await errorMatching(page, /empty\.csv is empty/);
  assert.equal(await page.getByTestId('source-file').filter({ hasText: 'empty.csv' }).getAttribute('data-state'), 'invalid');
  await removeFile(page, 'empty.csv');

  // A spreadsheet saved under a .csv name: a ZIP container with NUL bytes.
  const zip = new Uint8Array(2048);
  zip.set([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00]);
  for (let i = 64; i < zip.length; i += 7) zip[i] = (i * 31) & 0xff;
  await choose(page, [{ name: 'sales_2014.csv', bytes: zip }]);
  await errorMatching(page, /sales_2014\.csv is not a text CSV file \(it contains binary data\)/);
  await removeFile(page, 'sales_2014.csv');

  await choose(page, [{ name: 'orders.csv', bytes: utf8('order_id;amount;day\r\n1;9.99;2014-01-01\r\n') }]);
  const wrong = await errorMatching(page, /orders\.csv matches no source/);
  assert.match(wrong, /orders\.csv matches no source \(its columns: order_id, amount, day\)/);
  assert.match(wrong, /expected one file per source: CRM customers \(cst_id, cst_key/);
  await removeFile(page, 'orders.csv');

  await choose(page, [{ name: 'LOC_A101 (1).csv', bytes: cleanFile('LOC_A101.csv').bytes }]);
  await errorMatching(page, /LOC_A101\.csv and LOC_A101 \(1\)\.csv are both ERP locations files; keep one/);
  const duplicates = page.locator('[data-testid="source-file"][data-state="duplicate"]');
  assert.equal(await duplicates.count(), 2, 'both files are marked');
  await removeFile(page, 'LOC_A101 (1).csv');
  assert.equal(await page.getByTestId('error').count(), 0, 'the message goes once the file is removed');

  await removeFile(page, 'PX_CAT_G1V2.csv');
  const checklist = page.getByRole('list', { name: 'Expected sources' }).getByRole('listitem').filter({ hasText: 'ERP product categories' });
  assert.match(await checklist.innerText(), /Missing[\s\S]*expected columns: id, cat, subcat, maintenance/);
  await page.getByText('Still needed: 1 of 6 files.').waitFor();
  assert.ok(await page.getByTestId('run-pipeline').isDisabled(), 'the run button is disabled');

  // The list's change and the decision to run are one update: what it shows is already the outcome.
  assert.ok(!(await runStates(page)).includes('running'), `no run started: ${(await runStates(page)).join(' → ')}`);
  assert.equal(await page.getByTestId('run-status').getAttribute('data-state'), stateBefore, 'the run badge is unchanged');
  assert.deepEqual(await shownKpis(page), cleanKpis, 'the KPIs of the last good run are shown');
});

/** Which clean file each bad file stands in for. */
const SOURCE_OF: Record<string, string> = {
  'PX_CAT_G1V2 header only.csv': 'PX_CAT_G1V2.csv',
  'sales_details cut.csv': 'sales_details.csv',
  'LOC_A101 ragged.csv': 'LOC_A101.csv',
  'sales_details big.csv': 'sales_details.csv',
};

/** Replaces the chosen files with the clean ones, `bad` standing in for its source's file. */
async function chooseWith(page: Page, bad: Fixture | string): Promise<void> {
  await nav(page, 'Data');
  const removeAll = page.getByRole('button', { name: 'Remove all', exact: true });
  if (await removeAll.count()) await removeAll.click();
  await watchRuns(page);
  if (typeof bad === 'string') {
    // A file on disk: the five good files are written beside it.
    const good = await Promise.all(clean.filter((f) => f.name !== SOURCE_OF[path.basename(bad)]).map(async (f) => {
      const file = path.join(scratch, f.name);
      await writeFile(file, f.bytes);
      return file;
    }));
    await choose(page, [...good, bad]);
  } else await choose(page, [...clean.filter((f) => f.name !== SOURCE_OF[bad.name]), bad]);
}

/** Runs on the clean files with one of them replaced; checks the failure, its message and the kept KPIs. */
async function expectFailedRun(page: Page, bad: Fixture, task: string, message: RegExp): Promise<string> {
  await chooseWith(page, bad);
  assert.equal(await nextRunEnds(page), 'failed', 'the run fails');
  await nav(page, 'Run');
  assert.equal(await page.getByTestId(`task-${task}`).getAttribute('data-state'), 'failed', `${task} failed`);
  for (const id of TASK_IDS.slice(TASK_IDS.indexOf(task as (typeof TASK_IDS)[number]) + 1)) {
    assert.equal(await page.getByTestId(`task-${id}`).getAttribute('data-state'), 'upstream_failed', id);
  }
  const text = await errorMatching(page, message);
  assert.match(text, new RegExp(`The run failed in ${task}\\.`));
  assert.match(text, /The results of the last good run are kept\./);
  assert.match(await page.locator('#kpi-title').innerText(), /^Results of the last good run/);
  assert.deepEqual(await readKpis(page), cleanKpis, 'the KPIs of the last good run are shown');
  return text;
}

test('a header-only file stops the run at validation, naming the file', { timeout: 150_000 }, async () => {
  assert.ok(cleanKpis, 'needs the good run of the earlier tests');
  await expectFailedRun(app.page, { name: 'PX_CAT_G1V2 header only.csv', bytes: utf8('ID,CAT,SUBCAT,MAINTENANCE\r\n') }, 'validate_data',
    /PX_CAT_G1V2 header only\.csv \(ERP product categories\) has no data rows, only a header/);
});

test('a truncated last line stops the run, naming the file, the line and what it reads', { timeout: 150_000 }, async () => {
  assert.ok(cleanKpis, 'needs the good run of the earlier tests');
  const sales = writeCsv(rows['sales_details.csv']);
  const body = sales.slice(0, sales.lastIndexOf('\r\n', sales.length - 3) + 2);
  const cut = `${sales.slice(body.length).split(',').slice(0, 3).join(',')},2014`;
  await expectFailedRun(app.page, { name: 'sales_details cut.csv', bytes: utf8(body + cut) }, 'ingest_bronze', new RegExp(
    `sales_details cut\\.csv \\(CRM sales\\) line ${rows['sales_details.csv'].length} has 4 fields but the header has 9 \\(the line reads: ${escape(cut)}\\)`,
  ));
});

test('a ragged row deep in a file stops the run, naming the file, the line and what it reads', { timeout: 150_000 }, async () => {
  assert.ok(cleanKpis, 'needs the good run of the earlier tests');
  const locations = rows['LOC_A101.csv'].map((r, i) => (i === 4999 ? [...r, 'see note'] : r));
  await expectFailedRun(app.page, { name: 'LOC_A101 ragged.csv', bytes: utf8(writeCsv(locations)) }, 'ingest_bronze',
    new RegExp(`LOC_A101 ragged\\.csv \\(ERP locations\\) line 5000 has 3 fields but the header has 2 \\(the line reads: ${escape(locations[4999].join(','))}\\)`));
});

test('a ragged row past the first slice of a large file names its line in the whole file', { timeout: 240_000 }, async () => {
  assert.ok(cleanKpis, 'needs the good run of the earlier tests');
  // More records than a slice holds, so the file loads in slices (of its Blob); the bad row is in the second.
  const [header, ...data] = rows['sales_details.csv'];
  const bad = SLICE_RECORDS + 30_000;
  const big = [header, ...Array.from({ length: Math.ceil(bad / data.length) }, () => data).flat()];
  big[bad] = [...big[bad], 'see note'];
  await expectFailedRun(app.page, { name: 'sales_details big.csv', bytes: utf8(writeCsv(big)) }, 'ingest_bronze', new RegExp(
    `sales_details big\\.csv \\(CRM sales\\) line ${bad + 1} has 10 fields but the header has 9 \\(the line reads: ${escape(big[bad].join(','))}\\)`,
  ));
});

test('inputs too large for the in-browser engine are refused as soon as they are listed; nothing runs', { timeout: 240_000 }, async () => {
  const { page } = app;
  assert.ok(cleanKpis, 'needs the good run of the earlier tests');
  // A real sales file followed by sparse gigabytes: no disk space used, but a File of 2 GiB.
  const big = path.join(scratch, 'sales_details big.csv');
  await writeFile(big, cleanFile('sales_details.csv').bytes);
  await truncate(big, 2 * 1024 ** 3);
  await chooseWith(page, big);
  const text = await errorMatching(page, new RegExp(
    'Too large for this device: the files total 2\\.0 GB; a run needs about \\d+\\.\\d GB of memory, ' +
    'more than the in-browser engine can use here \\(about \\d+\\.\\d GB\\)\\. Nothing was run\\.',
  ));
  assert.match(text, /Use the command line \(npm run pipeline\)/, 'it says what to do instead');
  assert.match(await page.getByTestId('source-file').filter({ hasText: 'sales_details big.csv' }).innerText(), /2\.0 GB/);
  assert.ok(await page.getByTestId('run-pipeline').isDisabled(), 'the run button is disabled');
  // The message comes with the inspection that decides whether to run: no run started with it.
  assert.ok(!(await runStates(page)).includes('running'), `no run started: ${(await runStates(page)).join(' → ')}`);
  assert.deepEqual(await shownKpis(page), cleanKpis, 'the KPIs of the last good run are shown');
});

test('the page only talked to its own origin, with no console errors or CSP violations', async () => {
  await harness.close(app);
});
