/**
 * Input files by any legal name, through the page's file input in Chromium: the worker reads
 * them under generated names, yet the page, the run and its messages name each file as the
 * person called it (spaces, parentheses, brackets, *, ?, quotes, non-ASCII).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { utf8 } from '../fixtures/dialects.ts';
import { datasetDir, REAL_FILES, runError, startHarness, type AppPage, type Harness } from './harness.ts';
import { referenceKpis } from './kpi-reference.ts';
import { choose, errorMatching, nav, nextRunEnds, shownKpis, watchRuns, type Fixture } from './page-actions.ts';

/** Each real file under a name a browser, a person or another system might give it. */
const NAMES: Record<string, string> = {
  'cust_info.csv': 'cust_info (1).csv',
  'prd_info.csv': 'prd_info [2] *.csv',
  'sales_details.csv': 'sales_details ?.csv',
  'CUST_AZ12.csv': `CUST_AZ12 "quoted" 'single'.csv`,
  'LOC_A101.csv': 'LOC_A101 é€ü 日本.csv',
  'PX_CAT_G1V2.csv': 'PX_CAT_G1V2 {a,b} $x #1 %20 \\.csv',
};
const files: Fixture[] = REAL_FILES.map((f) => ({ name: NAMES[path.basename(f)], bytes: new Uint8Array(readFileSync(f)) }));

let harness: Harness;
let app: AppPage;

before(async () => {
  harness = await startHarness();
  app = await harness.open({ width: 1360, height: 900 });
  await watchRuns(app.page);
});

after(async () => {
  await harness?.stop();
});

test('the real export under odd file names runs to success; the Data page lists each name as given', { timeout: 240_000 }, async () => {
  const { page } = app;
  await choose(page, files);
  assert.equal(await nextRunEnds(page), 'success', `the run failed: ${await runError(page)}`);
  const kpis = await shownKpis(page);
  const expected = referenceKpis(datasetDir);
  assert.ok(Math.abs(kpis.total_sales - expected.total_sales) < 0.01, `total_sales ${kpis.total_sales} ≠ ${expected.total_sales}`);
  assert.equal(kpis.total_orders, expected.total_orders);
  await nav(page, 'Data');
  const listed = await page.locator('[data-testid="source-file"][data-state="ok"]').allInnerTexts();
  for (const name of Object.values(NAMES)) {
    assert.ok(listed.some((text) => text.startsWith(name)), `${name} is listed by its name: ${listed.join(' | ')}`);
  }
});

test('a bad file with an odd name is named in the message, as it is called', { timeout: 240_000 }, async () => {
  const { page } = app;
  await nav(page, 'Data');
  await page.getByRole('button', { name: 'Remove all', exact: true }).click();
  await watchRuns(page);
  const bad = { name: 'LOC_A101 é€ü (2) [*?].csv', bytes: utf8('CID,CNTRY\r\nAW-00011000,Australia\r\nAW-00011001,Germany,extra\r\n') };
  await choose(page, [...files.filter((f) => !f.name.startsWith('LOC_A101')), bad]);
  assert.equal(await nextRunEnds(page), 'failed', 'the run fails');
  const text = await errorMatching(page, /line 3 has 3 fields but the header has 2/);
  assert.ok(text.includes('LOC_A101 é€ü (2) [*?].csv (ERP locations) line 3'), `the message names the file as it is called: ${text}`);
  assert.doesNotMatch(text, /input_\d+/, 'not the name the worker reads it by');
});

test('the page only talked to its own origin, with no console errors or CSP violations', async () => {
  await harness.close(app);
});
