/**
 * The README's first command opens the app on `?sample`: in a fresh browser the sample
 * data runs with no click. A link never replaces results the user has: with results in
 * the browser it asks first, and nothing changes until the user says "replace".
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { readKpis, REAL_FILES, RUN_TIMEOUT, runError, startHarness, waitForRunState, type Harness } from './harness.ts';

let harness: Harness;

before(async () => {
  harness = await startHarness();
});

after(async () => {
  await harness?.stop();
});

/** Opens `/?sample` in this page (a fresh start) and waits until the link was handled: the app drops it from the address. */
async function openSampleLink(page: Page): Promise<void> {
  await page.goto(`${harness.origin}/?sample#/tables`);
  await page.waitForFunction(() => !new URLSearchParams(location.search).has('sample'), null, { timeout: RUN_TIMEOUT });
}

async function kpisShown(page: Page): Promise<Record<string, number>> {
  await page.locator('[data-testid="kpi-total_sales"][data-value]').waitFor({ timeout: RUN_TIMEOUT });
  return readKpis(page);
}

function historyLength(page: Page): Promise<number> {
  return page.evaluate(() => new Promise<number>((resolve, reject) => {
    const open = indexedDB.open('retail-workbench');
    open.onsuccess = () => {
      const count = open.result.transaction('store').objectStore('store').count(IDBKeyRange.bound('summaries/', 'summaries/\uffff'));
      count.onsuccess = () => {
        resolve(count.result);
        open.result.close();
      };
    };
    open.onerror = () => reject(open.error);
  }));
}

test('?sample loads and runs the built-in sample data on open', { timeout: 150_000 }, async () => {
  const app = await harness.open(undefined, '/?sample');
  const state = await waitForRunState(app.page, ['success', 'failed']);
  assert.equal(state, 'success', `the sample run failed: ${await runError(app.page)}`);
  const kpis = await readKpis(app.page);
  assert.ok(kpis.total_sales > 0 && kpis.total_orders > 0, 'KPIs are shown');
  await harness.close(app);
});

test('?sample over the user\'s results asks first: "keep" changes nothing, "replace" runs the sample', { timeout: 240_000 }, async () => {
  const app = await harness.open();
  const { page } = app;
  await page.getByTestId('source-files').setInputFiles(REAL_FILES);
  assert.equal(await waitForRunState(page, ['success', 'failed']), 'success', await runError(page));
  await page.evaluate(() => (location.hash = '#/tables'));
  const mine = await kpisShown(page);
  assert.equal(await historyLength(page), 1);

  // The link opens on the user's results and asks; they stay as they are while it asks.
  await openSampleLink(page);
  const ask = page.getByTestId('sample-link-ask');
  await ask.waitFor();
  assert.match(await ask.innerText(), /Replace your results with the sample data\?[\s\S]*the run of /);
  assert.deepEqual(await kpisShown(page), mine, 'the user\'s results are shown while the app asks');
  await page.getByTestId('sample-link-keep').click();
  await ask.waitFor({ state: 'hidden' });
  assert.deepEqual(await kpisShown(page), mine, '"keep" keeps them');
  assert.equal(await page.getByTestId('run-status').getAttribute('data-state'), 'success');
  assert.equal(await historyLength(page), 1, 'nothing ran');
  await page.reload();
  assert.deepEqual(await kpisShown(page), mine, 'and they are still the saved results after a reload');
  assert.equal(await ask.isVisible(), false, 'a reload does not ask again: the link left the address');

  // Asked again, "replace" runs the sample, which then becomes the saved results.
  await openSampleLink(page);
  await ask.waitFor();
  const started = page.waitForSelector('[data-testid="run-status"][data-state="running"]', { timeout: RUN_TIMEOUT });
  await page.getByTestId('sample-link-replace').click();
  await started;
  assert.equal(await waitForRunState(page, ['success', 'failed']), 'success', await runError(page));
  await page.evaluate(() => (location.hash = '#/tables'));
  const sample = await kpisShown(page);
  assert.notDeepEqual(sample, mine, 'the sample\'s figures replace the user\'s');
  assert.equal(await historyLength(page), 2, 'the user\'s run stays in the history');

  // Results that came from the sample itself are the sample: the link shows them, asks nothing, runs nothing.
  await openSampleLink(page);
  assert.deepEqual(await kpisShown(page), sample);
  assert.equal(await ask.isVisible(), false, 'nothing to ask');
  assert.equal(await historyLength(page), 2, 'nothing ran');
  await harness.close(app);
});
