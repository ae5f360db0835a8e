/**
 * The workbench in Chromium: the SQL console (results, errors, scratch-only writes,
 * cancel, charts, history across reloads), column profiles, and the model editor
 * (an edited segment cut-off re-runs downstream only; reset restores the counts).
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { strFromU8, unzipSync } from 'fflate';
import { readKpis, repoRoot, runError, startHarness, waitForRunState, type AppPage, type Harness } from './harness.ts';
import { nav } from './page-actions.ts';

let harness: Harness;
let app: AppPage;
let kpis: Record<string, number>;
let factRows: number;
const shots = process.env.SCREENSHOTS === '1';

before(async () => {
  harness = await startHarness();
  app = await harness.open({ width: 1360, height: 900 });
});

after(async () => {
  await harness?.stop();
});

/** Replaces the console text, runs it with Ctrl+Enter and waits for the result or a message. */
async function runSql(page: Page, sql: string, waitFor: 'result' | 'error' | 'confirm' = 'result'): Promise<void> {
  await page.getByTestId('sql-editor').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(sql);
  await page.keyboard.press('Escape');
  await page.keyboard.press('ControlOrMeta+Enter');
  const target = { result: '[data-testid="sql-result"]', error: '[data-testid="sql-error"]', confirm: '[data-testid="sql-confirm"]' }[waitFor];
  await page.waitForFunction(() => !document.querySelector('[data-testid="sql-run"]')?.textContent?.includes('Running'), undefined, { timeout: 60_000 });
  await page.locator(target).waitFor({ timeout: 60_000 });
}

/** The cells of the first result row, by column name (queries use unique aliases, so a new result is recognised). */
async function firstRow(page: Page, expectColumn: string): Promise<Record<string, string>> {
  const result = page.getByTestId('sql-result');
  await result.locator('[role="columnheader"]', { hasText: expectColumn }).first().waitFor({ timeout: 30_000 });
  const names = (await result.locator('[role="columnheader"]').allInnerTexts()).map((t) => t.replace(/[▲▼]/g, '').trim());
  const cells = await result.locator('.body [role="row"]').first().locator('[role="gridcell"]').allInnerTexts();
  return Object.fromEntries(names.slice(1).map((n, i) => [n, cells[i]]));
}

async function openConsole(page: Page): Promise<void> {
  await nav(page, 'Console');
  await page.getByTestId('sql-editor').waitFor({ timeout: 30_000 });
}

test('sample data runs, so there are results to work on', { timeout: 150_000 }, async () => {
  const { page } = app;
  await page.getByTestId('load-sample').click();
  assert.equal(await waitForRunState(page, ['success', 'failed']), 'success', await runError(page));
  kpis = await readKpis(page);
  await nav(page, 'Tables');
  factRows = Number((await page.getByTestId('table-gold.fact_sales').innerText()).split('\n').pop()!.replace(/\D/g, ''));
  assert.ok(factRows > 1000, `fact_sales has rows: ${factRows}`);
});

test('a query over gold.fact_sales returns the right row count and sum, as a grid and a chart', { timeout: 120_000 }, async () => {
  const { page } = app;
  await openConsole(page);
  // typed key by key, as a person would
  await page.getByTestId('sql-editor').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('select * from gold.fact_sales');
  await page.keyboard.press('Escape');
  await page.getByTestId('sql-run').click();
  await page.locator(`[data-testid="sql-result"][data-rows="${factRows}"]`).waitFor({ timeout: 60_000 });
  assert.match(await page.getByTestId('sql-result').innerText(), new RegExp(`${factRows.toLocaleString('en-US')} rows`));

  // completion knows the schemas, tables and columns of the results
  await page.getByTestId('sql-editor').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('select * from gold.dim_c');
  await page.locator('.cm-tooltip-autocomplete li', { hasText: 'dim_customers' }).waitFor({ timeout: 10_000 });
  await page.keyboard.press('Escape');

  await runSql(page, 'select count(*) as line_count, sum(sales_amount) as sales_sum from gold.fact_sales');
  const row = await firstRow(page, 'sales_sum');
  assert.equal(Number(row.line_count), factRows);
  // to the cent: the sample has prices in cents, and sums of DOUBLEs in another order differ in far decimals
  assert.ok(Math.abs(Number(row.sales_sum) - kpis.total_sales) < 0.005, `the console sum ${row.sales_sum} equals the total sales KPI ${kpis.total_sales}`);
  assert.equal(await page.getByTestId('sql-result').getAttribute('data-rows'), '1');

  // a column profile in the schema browser: numbers get a histogram
  await page.getByTestId('schema-table-gold.fact_sales').click();
  await page.getByRole('button', { name: /^sales_amount/ }).click();
  await page.getByTestId('column-profile').getByText('Histogram').waitFor({ timeout: 30_000 });

  await runSql(page, "select strftime(order_date, '%Y') as year, category, sum(sales_amount) as sales\nfrom gold.fact_sales f\njoin gold.dim_products p using (product_key)\nwhere order_date is not null\ngroup by all\norder by all");
  await page.getByTestId('sql-chart-toggle').click();
  await page.getByLabel('Colour').selectOption('category');
  await page.locator('[data-testid="chart-console"][data-state="ready"]').waitFor({ timeout: 30_000 });
  assert.ok(await page.locator('[data-testid="chart-console"] svg').count(), 'the chart is drawn as SVG');
  if (shots) {
    await page.setViewportSize({ width: 1360, height: 1500 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(repoRoot, 'docs/console.png') });
    await page.setViewportSize({ width: 1360, height: 900 });
  }
  await page.getByRole('button', { name: 'Save chart' }).click();
  await page.locator('[data-testid^="chart-saved-"][data-state="ready"]').first().waitFor({ timeout: 30_000 });
});

test('an error shows its message at its place, and the last result stays', { timeout: 60_000 }, async () => {
  const { page } = app;
  await runSql(page, 'select 1 as before_error');
  await runSql(page, 'select\n  no_such_column\nfrom gold.fact_sales', 'error');
  const error = await page.getByTestId('sql-error').innerText();
  assert.match(error, /no_such_column/);
  assert.match(error, /line 2, column 3/);
  assert.equal(await page.locator('.cm-sql-error').innerText(), 'no_such_column', 'the editor marks the spot');
  await firstRow(page, 'before_error');

  // Run selection runs only the selected statement
  await page.getByTestId('sql-editor').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText('select 1 as first_part;\nselect 2 as second_part');
  await page.keyboard.press('ControlOrMeta+Home');
  await page.keyboard.press('Shift+End');
  await page.getByTestId('sql-run-selection').click();
  assert.deepEqual(await firstRow(page, 'first_part'), { first_part: '1' });
});

test('the console CSV neutralises formula-like text; the raw switch writes it as stored', { timeout: 60_000 }, async () => {
  const { page } = app;
  await openConsole(page);
  await runSql(page, `select '=HYPERLINK("https://example.com/?"&A2,"x")' as formula_cell, '-5' as number_text, -5 as number_cell, '@SUM(1)' as at_cell`);
  await firstRow(page, 'formula_cell');
  const csv = async () => {
    const download = page.waitForEvent('download');
    await page.getByTestId('sql-download-csv').click();
    return readFile(await (await download).path(), 'utf8');
  };
  assert.equal(await csv(), `formula_cell,number_text,number_cell,at_cell\n"'=HYPERLINK(""https://example.com/?""&A2,""x"")",-5,-5,'@SUM(1)\n`);
  await page.getByTestId('sql-result').getByTestId('csv-raw').check();
  assert.equal(await csv(), 'formula_cell,number_text,number_cell,at_cell\n"=HYPERLINK(""https://example.com/?""&A2,""x"")",-5,-5,@SUM(1)\n');
  await page.getByTestId('sql-result').getByTestId('csv-raw').uncheck();
});

test('writes ask first and change a scratch copy only; dropping stored tables is refused', { timeout: 60_000 }, async () => {
  const { page } = app;
  await runSql(page, 'delete from gold.fact_sales', 'confirm');
  assert.match(await page.getByTestId('sql-confirm').innerText(), /scratch\.gold\.fact_sales, a copy of gold\.fact_sales/);
  await page.getByTestId('sql-confirm-run').click();
  await page.locator('[data-testid="sql-result"]').getByText('Scratch:').waitFor({ timeout: 30_000 });
  await runSql(page, 'select (select count(*) from gold.fact_sales) as stored_rows, (select count(*) from scratch.gold.fact_sales) as scratch_rows');
  const row = await firstRow(page, 'scratch_rows');
  assert.deepEqual([Number(row.stored_rows), Number(row.scratch_rows)], [factRows, 0]);
  await runSql(page, 'drop table gold.fact_sales', 'error');
  assert.match(await page.getByTestId('sql-error').innerText(), /holds stored results and cannot be dropped/);
  await runSql(page, "attach 'x.db' as x", 'error');
  assert.match(await page.getByTestId('sql-error').innerText(), /cannot attach/);
});

test('a long query can be cancelled, and the column profile reads a column', { timeout: 90_000 }, async () => {
  const { page } = app;
  await runSql(page, 'select 2 as kept_result');
  await page.getByTestId('sql-editor').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText('select sum(range) from range(20000000000)');
  await page.getByTestId('sql-run').click();
  await page.getByTestId('sql-cancel').click({ timeout: 10_000 });
  const started = Date.now();
  await page.getByTestId('sql-cancelled').waitFor({ timeout: 10_000 });
  assert.ok(Date.now() - started < 5000, `cancelled in ${Date.now() - started} ms`);
  await firstRow(page, 'kept_result');

  await page.getByTestId('schema-table-gold.dim_customers').click();
  await page.getByRole('button', { name: /^country/ }).click();
  await page.getByTestId('column-profile').getByText('Most frequent values').waitFor({ timeout: 30_000 });
  assert.match(await page.getByTestId('profile-distinct').innerText(), /^\d+$/);
});

const SEGMENT_SQL = (tag: string) => `select
  count(*) filter (where value_segment = 'High') as high_${tag},
  count(*) filter (where value_segment = 'Medium') as medium_${tag},
  count(*) filter (where value_segment = 'Low') as low_${tag},
  count(*) filter (where total_sales >= (select quantile_cont(total_sales, 0.9) from segmentation.customer_segments)) as top10_${tag}
from segmentation.customer_segments`;

async function segments(page: Page, tag: string) {
  await openConsole(page);
  await runSql(page, SEGMENT_SQL(tag));
  const row = await firstRow(page, `top10_${tag}`);
  return { high: Number(row[`high_${tag}`]), medium: Number(row[`medium_${tag}`]), low: Number(row[`low_${tag}`]), top10: Number(row[`top10_${tag}`]) };
}

async function rerun(page: Page): Promise<void> {
  // What the re-run said after its last task (brief at this size, so every text shown is kept).
  await page.evaluate(`(() => {
    window.rerunTexts = [];
    window.rerunWatch?.disconnect();
    window.rerunWatch = new MutationObserver(() => {
      const text = document.querySelector('[data-testid="rerun-finishing"]')?.textContent?.trim();
      if (text && window.rerunTexts.at(-1) !== text) window.rerunTexts.push(text);
    });
    window.rerunWatch.observe(document.body, { subtree: true, childList: true, characterData: true });
  })()`);
  // The status of an earlier re-run may still be shown: wait for this one's end, not that one's.
  const earlier = (await page.getByTestId('rerun-status').count()) ? await page.getByTestId('rerun-status').getAttribute('data-run-id') : null;
  await page.getByTestId('model-rerun').click();
  const status = earlier ? page.locator(`[data-testid="rerun-status"]:not([data-run-id="${earlier}"])`) : page.getByTestId('rerun-status');
  const done = status.and(page.locator('[data-state="success"], [data-state="failed"]'));
  await done.waitFor({ timeout: 90_000 });
  assert.equal(await done.getAttribute('data-state'), 'success', await page.getByTestId('rerun-status').innerText());
  const texts = (await page.evaluate('window.rerunTexts')) as string[];
  assert.ok(texts.some((t) => /preparing the dashboards: step \d+ of \d+/.test(t)), `the re-run said how far the dashboards were: ${texts.join(' | ')}`);
}

test('an edited segment cut-off re-runs downstream only and changes the segment counts; reset restores them', { timeout: 240_000 }, async () => {
  const { page } = app;
  const before = await segments(page, 'a');
  await nav(page, 'Models');
  await page.getByTestId('lineage-segmentation.customer_segments').click();
  await page.getByTestId('model-editor').waitFor({ timeout: 30_000 });
  const shipped = await readFile(path.join(repoRoot, 'models/segmentation/customer_segments.sql'), 'utf8');
  const edited = shipped.replace('quantile_cont(total_sales, 0.66)', 'quantile_cont(total_sales, 0.9)');
  assert.notEqual(edited, shipped);
  await page.getByTestId('model-editor').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(edited);
  await page.getByTestId('model-check').click();
  await page.getByTestId('model-ok').waitFor({ timeout: 30_000 });
  assert.match(await page.getByTestId('model-diff').innerText(), /\+\s*quantile_cont\(total_sales, 0\.9\) as high_cutoff/);
  await rerun(page);
  await page.getByTestId('model-overridden').waitFor();
  assert.equal(await page.getByTestId('models-pending').count(), 0, 'nothing is left to apply');
  // The dbt project downloaded from the page carries the edit.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-dbt').click()]);
  assert.equal(download.suggestedFilename(), 'retail-workbench-dbt.zip');
  const project = unzipSync(new Uint8Array(await readFile(await download.path())));
  const segmentsModel = strFromU8(project['retail_workbench/models/segmentation/segmentation_customer_segments.sql']);
  assert.match(segmentsModel, /quantile_cont\(total_sales, 0\.9\) as high_cutoff/);
  assert.match(segmentsModel, /from \{\{ ref\('gold_fact_sales'\) \}\}/);
  assert.ok(project['retail_workbench/dbt_project.yml'] && project['retail_workbench/models/sources.yml'], 'project and sources files');
  if (shots) {
    await page.getByTestId('model-editor').click();
    await page.keyboard.press('ControlOrMeta+Home');
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.setViewportSize({ width: 1360, height: 1750 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(repoRoot, 'docs/model-editor.png') });
    await page.setViewportSize({ width: 1360, height: 900 });
  }

  await nav(page, 'Run');
  const states = Object.fromEntries(await Promise.all(
    ['ingest_bronze', 'run_silver', 'run_gold', 'run_kpi', 'run_segmentation'].map(async (id) => [id, await page.getByTestId(`task-${id}`).getAttribute('data-state')]),
  ));
  assert.deepEqual(states, { ingest_bronze: 'skipped', run_silver: 'skipped', run_gold: 'skipped', run_kpi: 'skipped', run_segmentation: 'success' });
  assert.deepEqual(await readKpis(page), kpis, 'the KPIs were not touched');

  const after = await segments(page, 'b');
  assert.equal(after.high + after.medium + after.low, before.high + before.medium + before.low, 'every buyer still has a segment');
  assert.ok(after.high < before.high, `High shrinks: ${before.high} -> ${after.high}`);
  assert.equal(after.high, after.top10, 'High is now the top 10 % by lifetime sales');
  assert.equal(after.low, before.low, 'the Low cut-off did not move');

  await nav(page, 'Models');
  await page.getByTestId('model-reset').click();
  await page.getByTestId('models-pending').waitFor();
  await rerun(page);
  assert.deepEqual(await segments(page, 'c'), before, 'reset restores the counts');
});

test('a new KPI model is added and built by a re-run', { timeout: 120_000 }, async () => {
  const { page } = app;
  await nav(page, 'Models');
  await page.getByTestId('new-kpi-name').fill('sales_by_weekday');
  await page.getByTestId('new-kpi-create').click();
  await page.getByTestId('model-editor').waitFor();
  await rerun(page);
  await openConsole(page);
  await runSql(page, 'select sum(sales) as weekday_sales from kpi.sales_by_weekday');
  const weekdaySales = Number((await firstRow(page, 'weekday_sales')).weekday_sales);
  assert.ok(Math.abs(weekdaySales - kpis.total_sales) < 0.005, `${weekdaySales} equals the total sales KPI ${kpis.total_sales} to the cent`);
});

test('with no results yet, a model is still checked by DuckDB: a hidden second statement and an unknown column are refused', { timeout: 120_000 }, async () => {
  // A fresh browser profile: nothing has run, so there are no tables to check against.
  const fresh = await harness.open({ width: 1360, height: 900 });
  const { page } = fresh;
  await nav(page, 'Models');
  await page.getByTestId('new-kpi-name').fill('pwn');
  await page.getByTestId('new-kpi-create').click();
  const check = async (sql: string) => {
    await page.getByTestId('model-editor').click();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.insertText(sql);
    await page.getByTestId('model-check').click();
    const verdict = page.getByTestId('model-problems').or(page.getByTestId('model-ok'));
    await page.waitForFunction(() => !document.querySelector('[data-testid="model-check"]')?.hasAttribute('disabled'));
    await verdict.first().waitFor({ timeout: 60_000 });
    return verdict.first().innerText();
  };
  assert.match(await check("-- grain: one row\nselect $é$ ' $é$; create table pwned as select 1; --'"), /exactly one query; this text has 2 statements/);
  assert.match(await check('-- grain: one row\nselect sum(no_such_column) as x from gold.fact_sales'), /Binder Error: Referenced column "no_such_column" not found/);
  assert.match(await check('-- grain: one row\nselect total_sales(sales_amount) as sales from gold.fact_sales'), /The model checks out/);
  await harness.close(fresh);
});

test('SQL reaches no network and no file: the console, a model check and a re-run are refused by the engine', { timeout: 180_000 }, async () => {
  const { page } = app;
  const refused = /disabled by configuration/;
  const reads = ["select * from read_csv('https://example.com/data.csv')", "from 'https://example.com/data.csv'", "select content from read_text('/etc/passwd')"];
  await openConsole(page);
  for (const sql of reads) {
    await runSql(page, sql, 'error');
    assert.match(await page.getByTestId('sql-error').innerText(), refused, sql);
  }

  await nav(page, 'Models');
  await page.getByTestId('new-kpi-name').fill('leak');
  await page.getByTestId('new-kpi-create').click();
  await page.getByTestId('model-editor').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(`-- grain: one row per line\n${reads[2]}`);
  await page.getByTestId('model-check').click();
  assert.match(await page.getByTestId('model-problems').innerText({ timeout: 60_000 }), refused);

  // A saved override that reads a URL (as if it had got past the checks), then a re-run.
  const leak = { path: 'models/kpi/leak.sql', sql: `-- grain: one row per line\n${reads[0]}`, savedAt: Date.now() };
  const overrides = (value: unknown) => page.evaluate((v) => new Promise<void>((resolve, reject) => {
    const open = indexedDB.open('retail-workbench');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const tx = open.result.transaction('store', 'readwrite');
      tx.objectStore('store').put(v, 'workbench/overrides');
      tx.oncomplete = () => { open.result.close(); resolve(); };
      tx.onerror = () => reject(tx.error);
    };
  }), value);
  await overrides([leak]);
  await page.reload();
  await nav(page, 'Models');
  await page.getByTestId('models-pending').getByRole('button').click();
  const done = page.locator('[data-testid="rerun-status"][data-state="failed"], [data-testid="rerun-status"][data-state="success"]');
  await done.waitFor({ timeout: 90_000 });
  assert.equal(await done.getAttribute('data-state'), 'failed');
  assert.match(await page.getByTestId('rerun-error').innerText(), refused);
  await overrides([]);
  await page.reload();

  const reached = app.requests.filter((u) => /example\.com|\/etc\/passwd/.test(u));
  assert.deepEqual(reached, [], 'no request for the URL or the file was made');
});

test('history and tabs survive a reload', { timeout: 90_000 }, async () => {
  const { page } = app;
  await openConsole(page);
  await runSql(page, 'select 42 as remembered_answer');
  // The tabs are saved a moment after the last change, the history with the answer: wait until both are stored.
  await page.waitForFunction(() => new Promise<boolean>((resolve) => {
    const open = indexedDB.open('retail-workbench');
    open.onerror = () => resolve(false);
    open.onsuccess = () => {
      const store = open.result.transaction('store').objectStore('store');
      const tabs = store.get('workbench/tabs');
      const history = store.get('workbench/history');
      history.onsuccess = () => {
        resolve([tabs.result, history.result].every((v) => JSON.stringify(v ?? null).includes('remembered_answer')));
        open.result.close();
      };
    };
  }), undefined, { polling: 100 });
  await page.reload();
  await openConsole(page);
  assert.match(await page.getByTestId('sql-history').innerText(), /select 42 as remembered_answer/);
  assert.match(await page.getByTestId('sql-editor').innerText(), /remembered_answer/);
});

test('the page only talked to its own origin, under a strict CSP', async () => {
  await harness.close(app);
});
