/** Sample data: a full run in the browser, the results views, and cancelling a run. */
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import {
  readKpis, repoRoot, runError, startHarness, TASK_IDS, waitForRunState, type AppPage, type Harness,
} from './harness.ts';
import { callsHandled, holdRunAt, releaseRun, runHeld, watchCalls } from './worker-control.ts';

let harness: Harness;
let app: AppPage;
let firstKpis: Record<string, number>;

before(async () => {
  harness = await startHarness();
  app = await harness.open();
});

after(async () => {
  await harness?.stop();
});

test('sample data runs to success with every task green and KPI cards', { timeout: 150_000 }, async () => {
  const { page } = app;
  const badge = page.locator('[data-testid="engine-status"][data-heap-bytes]');
  await badge.waitFor();
  const heapAtStart = Number(await badge.getAttribute('data-heap-bytes'));
  assert.equal(await page.getByTestId('run-status').getAttribute('data-state'), 'idle');
  // Every text the run's status badge and progress line showed (the part after the last task is brief at this size).
  await page.evaluate(`(() => {
    window.runTexts = [];
    new MutationObserver(() => {
      for (const id of ['run-status', 'run-finishing']) {
        const text = document.querySelector('[data-testid="' + id + '"]')?.textContent?.trim();
        if (text && window.runTexts.at(-1) !== text) window.runTexts.push(text);
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  })()`);
  await page.getByTestId('load-sample').click();
  const state = await waitForRunState(page, ['success', 'failed']);
  assert.equal(state, 'success', `the sample run failed: ${await runError(page)}`);
  for (const id of TASK_IDS) {
    assert.equal(await page.getByTestId(`task-${id}`).getAttribute('data-state'), 'success', `task ${id}`);
  }
  // After the last task the run said how far the dashboards' build and the save were, before it said success.
  const texts = (await page.evaluate('window.runTexts')) as string[];
  const finishing = texts.filter((t) => /Finishing · dashboards \d+\/\d+/.test(t));
  assert.ok(finishing.length > 0, `the badge said it was finishing: ${texts.join(' | ')}`);
  assert.ok(texts.some((t) => /saved \d+ %/.test(t)), `the badge said how much was saved: ${texts.join(' | ')}`);
  assert.ok(texts.some((t) => /preparing the dashboards: step \d+ of \d+|dashboards ready/.test(t)), `the run page said it: ${texts.join(' | ')}`);
  assert.ok(texts.findIndex((t) => t.includes('Run succeeded')) > texts.indexOf(finishing[0]), 'success came after');
  // The engine's memory is read again once the run is over: its heap grew to hold the run.
  const heapAfterRun = Number(await badge.getAttribute('data-heap-bytes'));
  assert.ok(heapAtStart > 0 && heapAfterRun > heapAtStart, `the heap grew with the run: ${heapAtStart} → ${heapAfterRun}`);
  assert.match((await badge.getAttribute('title')) ?? '', /memory [\d.]+ MB of at most 4\.0 GB/);
  firstKpis = await readKpis(page);
  for (const [measure, value] of Object.entries(firstKpis)) {
    assert.ok(Number.isFinite(value) && value > 0, `kpi-${measure} has a positive number, got ${value}`);
  }
  assert.ok(Math.abs(firstKpis.avg_order_value - firstKpis.total_sales / firstKpis.total_orders) < 1e-6 * firstKpis.avg_order_value);
  if (process.env.SCREENSHOTS === '1') {
    await mkdir(path.join(repoRoot, 'docs'), { recursive: true });
    await page.screenshot({ path: path.join(repoRoot, 'docs/run-view.png'), fullPage: true });
  }
});

test('tables page lists tables by schema, pages, sorts and downloads', { timeout: 60_000 }, async () => {
  const { page } = app;
  assert.ok(firstKpis, 'needs the sample run of the previous test');
  await page.getByRole('link', { name: 'Tables', exact: true }).click();
  await page.getByTestId('table-gold.fact_sales').click();
  const preview = page.getByTestId('table-preview');
  await preview.locator('tbody tr').first().waitFor();
  assert.equal(await preview.locator('tbody tr').count(), 50);
  const info = page.getByTestId('page-info');
  assert.match(await info.innerText(), /^Page 1 of \d+$/);
  await page.getByRole('button', { name: 'Next →' }).click();
  await page.waitForFunction(() => document.querySelector('[data-testid="page-info"]')?.textContent?.startsWith('Page 2'));
  const header = preview.locator('thead th').first();
  await header.getByRole('button').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="table-preview"] thead th')?.getAttribute('aria-sort') === 'ascending');
  assert.match(await info.innerText(), /^Page 1 of/);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('download-fact_sales.csv').click(),
  ]);
  assert.equal(download.suggestedFilename(), 'fact_sales.csv');
});

test('a cancelled run ends as cancelled and keeps the last good KPIs', { timeout: 120_000 }, async () => {
  const { page } = app;
  assert.ok(firstKpis, 'needs the sample run of the first test');
  await page.getByRole('link', { name: 'Data', exact: true }).click();
  // The run waits as ingest_bronze starts until the cancel is in: it cannot finish first.
  await holdRunAt(page, 'ingest_bronze');
  await watchCalls(page, ['jobs.cancel']);
  await page.getByTestId('run-pipeline').click();
  await runHeld(page);
  await page.getByTestId('cancel-run').click();
  await callsHandled(page, 'jobs.cancel', 1);
  await releaseRun(page);
  const state = await waitForRunState(page, ['success', 'failed']);
  assert.equal(state, 'failed');
  assert.match(await page.getByTestId('run-status').innerText(), /cancelled/i);
  const states = await Promise.all(TASK_IDS.map((id) => page.getByTestId(`task-${id}`).getAttribute('data-state')));
  assert.deepEqual(states, ['failed', ...TASK_IDS.slice(1).map(() => 'skipped')], 'the task under way stops, the rest never start');
  assert.deepEqual(await readKpis(page), firstKpis, 'the last good run\'s KPIs are still shown');
});

test('the page only talked to its own origin, under a strict CSP', async () => {
  await harness.close(app);
});
