/** The real CRM + ERP export: KPIs checked against an independent computation; bad files refused. */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { referenceKpis } from './kpi-reference.ts';
import {
  datasetDir, readKpis, REAL_FILES, runError, startHarness, TASK_IDS, waitForRunState, type Harness,
} from './harness.ts';

let harness: Harness;
let scratch: string;

before(async () => {
  harness = await startHarness();
  scratch = await mkdtemp(path.join(tmpdir(), 'e2e-'));
});

after(async () => {
  await harness?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

test('the real export runs to success and its KPIs match an independent computation', { timeout: 150_000 }, async () => {
  const app = await harness.open();
  const { page } = app;
  await page.getByTestId('source-files').setInputFiles(REAL_FILES);
  const state = await waitForRunState(page, ['success', 'failed']);
  assert.equal(state, 'success', `the run failed: ${await runError(page)}`);
  for (const id of TASK_IDS) assert.equal(await page.getByTestId(`task-${id}`).getAttribute('data-state'), 'success', id);
  const expected = referenceKpis(datasetDir);
  const shown = await readKpis(page);
  assert.ok(Math.abs(shown.total_sales - expected.total_sales) < 0.01, `total_sales ${shown.total_sales} ≠ ${expected.total_sales}`);
  assert.equal(shown.total_units, expected.total_units, 'total_units');
  assert.equal(shown.total_orders, expected.total_orders, 'total_orders');
  assert.equal(shown.total_customers, expected.total_customers, 'total_customers');
  await harness.close(app);
});

test('a file that matches no source is named in the error and nothing runs', { timeout: 60_000 }, async () => {
  const wrong = path.join(scratch, 'wrong_columns.csv');
  await writeFile(wrong, 'a,b,c\n1,2,3\n4,5,6\n');
  const app = await harness.open();
  const { page } = app;
  await page.getByTestId('source-files').setInputFiles([wrong, ...REAL_FILES]);
  const error = page.getByTestId('error');
  await error.waitFor({ state: 'visible', timeout: 30_000 });
  const text = await error.innerText();
  assert.match(text, /wrong_columns\.csv/, 'the error names the file');
  assert.match(text, /a, b, c/, 'the error shows the columns it has');
  assert.match(text, /cst_id/, 'the error shows the expected columns');
  // The message comes with the inspection that decides whether to run: the badge already says whether one started.
  assert.equal(await page.getByTestId('run-status').getAttribute('data-state'), 'idle', 'no run started');
  assert.ok(await page.getByTestId('run-pipeline').isDisabled(), 'the run button is disabled');

  // Removing the wrong file completes the set: the run then starts on its own.
  await page.getByRole('button', { name: 'Remove wrong_columns.csv' }).click();
  await waitForRunState(page, ['running', 'success'], 30_000);
  await page.getByTestId('cancel-run').click().catch(() => undefined);
  await waitForRunState(page, ['success', 'failed']);
  await harness.close(app);
});

test('a run that fails validation says why and marks later tasks upstream_failed', { timeout: 90_000 }, async () => {
  const sales = path.join(scratch, 'sales_details.csv');
  await writeFile(sales, [
    'sls_ord_num,sls_prd_key,sls_cust_id,sls_order_dt,sls_ship_dt,sls_due_dt,sls_sales,sls_quantity,sls_price',
    'SO1,BK-R93R-62,11000,20101229,20110105,20110110,3578,one,3578',
    'SO2,BK-R93R-62,11001,20101229,20110105,20110110,3578,1,3578',
  ].join('\n') + '\n');
  const app = await harness.open();
  const { page } = app;
  await page.getByTestId('source-files').setInputFiles([...REAL_FILES.filter((f) => !f.endsWith('sales_details.csv')), sales]);
  assert.equal(await waitForRunState(page, ['success', 'failed']), 'failed');
  assert.match(await page.getByTestId('run-status').innerText(), /failed/i);
  assert.equal(await page.getByTestId('task-ingest_bronze').getAttribute('data-state'), 'success');
  assert.equal(await page.getByTestId('task-validate_data').getAttribute('data-state'), 'failed');
  for (const id of TASK_IDS.slice(2)) {
    assert.equal(await page.getByTestId(`task-${id}`).getAttribute('data-state'), 'upstream_failed', id);
  }
  const error = page.getByTestId('error');
  assert.ok(await error.isVisible(), 'the reason is shown');
  assert.match(await error.innerText(), /validate_data[\s\S]*sls_quantity/);
  await harness.close(app);
});

test('dropped files accumulate over several drops; other file types are skipped; files can be removed', { timeout: 60_000 }, async () => {
  const app = await harness.open();
  const { page } = app;
  const drop = (files: { name: string; text: string }[]) => page.evaluate((list) => {
    const data = new DataTransfer();
    for (const f of list) data.items.add(new File([f.text], f.name, { type: 'text/csv' }));
    document.querySelector('[data-testid="drop-zone"]')?.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
  }, files);
  await drop([
    { name: 'PX_CAT_G1V2.csv', text: 'ID,CAT,SUBCAT,MAINTENANCE\nAC_BR,Accessories,Bike Racks,Yes\n' },
    { name: 'notes.md', text: '# not data' },
  ]);
  const rows = page.getByTestId('source-file');
  await rows.first().waitFor();
  await page.getByText('notes.md was skipped').waitFor();
  await drop([{ name: 'LOC_A101.csv', text: 'CID,CNTRY\nAW-00011000,Australia\nAW-00011001,Australia\n' }]);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="source-file"][data-state="ok"]').length === 2);
  assert.match(await rows.nth(1).innerText(), /ERP locations[\s\S]*\b2\b/, 'source and row count are shown');
  assert.equal(await page.getByTestId('error').count(), 0, 'missing files are not an error yet');
  await page.getByRole('button', { name: 'Remove PX_CAT_G1V2.csv' }).click();
  assert.equal(await rows.count(), 1);
  assert.equal(await page.getByTestId('run-status').getAttribute('data-state'), 'idle');
  await harness.close(app);
});
