/**
 * Nothing lost: the last good run survives a reload, a failed run, a worker killed
 * mid-run and a second tab; the history keeps every run; a store written in the
 * previous layout is read after the upgrade; "clear all data" empties it. (A full disk
 * is covered in tests/unit: Chromium's quota override does not reach IndexedDB here.)
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { SCHEMA_VERSION } from '../../src/storage/schema.ts';
import { readKpis, REAL_FILES, RUN_TIMEOUT, runError, startHarness, TASK_IDS, waitForRunState, type AppPage, type Harness } from './harness.ts';
import { holdRunAt, killWorker, runHeld } from './worker-control.ts';

let harness: Harness;
let app: AppPage;
/** The KPIs of the sample run: the last good results for most of this file. */
let goodKpis: Record<string, number>;

before(async () => {
  harness = await startHarness();
  app = await harness.open();
});

after(async () => {
  await harness?.stop();
});

async function engineReady(page: Page): Promise<void> {
  await page.waitForFunction(() => document.querySelector('[data-testid="engine-status"]')?.getAttribute('data-state') === 'ready', null, { timeout: RUN_TIMEOUT });
}

/** Reloads the app on a page (a fresh start, not an in-page hash change) and waits for the engine and the restore. */
async function reload(page: Page, hash: string): Promise<void> {
  if (page.url().startsWith(harness.origin)) {
    await page.evaluate((h) => history.replaceState(null, '', h), hash);
    await page.reload();
  } else {
    await page.goto(`${harness.origin}/index.html${hash}`);
  }
  await engineReady(page);
}

/** Goes to a page inside the running app (no reload). */
async function go(page: Page, hash: string): Promise<void> {
  await page.evaluate((h) => (location.hash = h), hash);
}

/** The KPI cards of the current results (the Run and Tables pages show them unfiltered). */
async function resultKpis(page: Page): Promise<Record<string, number>> {
  await page.locator('[data-testid="kpi-total_sales"][data-value]').waitFor({ timeout: RUN_TIMEOUT });
  return readKpis(page);
}

/** How many times this page loaded saved results into the engine. */
function restores(page: Page): Promise<number> {
  return page.evaluate(() => performance.getEntriesByName('workbench:results-restored').length);
}

/** Chooses these files on the Data page (instead of those chosen before): the run starts on its own. */
async function chooseFiles(page: Page, files: { name: string; mimeType: string; buffer: Buffer }[]): Promise<void> {
  await go(page, '#/data');
  const removeAll = page.getByRole('button', { name: 'Remove all' });
  if (await removeAll.count()) await removeAll.click();
  await page.getByTestId('source-files').setInputFiles(files);
}

/** Starts a run with `trigger` and waits for its outcome (not the state the run before left). */
async function runTo(page: Page, trigger: () => Promise<void>): Promise<string> {
  const started = page.waitForSelector('[data-testid="run-status"][data-state="running"]', { timeout: RUN_TIMEOUT });
  await trigger();
  await started;
  return waitForRunState(page, ['success', 'failed']);
}

interface Row { runId: string; state: string; tasks: string[] }

/** The History page's rows, once there are `count` of them. */
async function historyRows(page: Page, count: number): Promise<Row[]> {
  await go(page, '#/history');
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="history-run"]').length === n, count, { timeout: 30_000 });
  return page.locator('[data-testid="history-run"]').evaluateAll((rows) => rows.map((r) => ({
    runId: r.getAttribute('data-run-id') ?? '',
    state: r.getAttribute('data-state') ?? '',
    tasks: [...r.querySelectorAll('[data-testid^="history-task-"]')].map((c) => c.getAttribute('data-state') ?? ''),
  })));
}

async function openRun(page: Page, runId: string): Promise<void> {
  await page.locator(`[data-testid="history-run"][data-run-id="${runId}"]`).getByRole('link').click();
  await page.getByTestId('history-detail').getByRole('heading', { name: /^Run of/ }).waitFor();
}

const SALES_HEADER = 'sls_ord_num,sls_prd_key,sls_cust_id,sls_order_dt,sls_ship_dt,sls_due_dt,sls_sales,sls_quantity,sls_price\n';
const BROKEN_SALES = `${SALES_HEADER}SO1,BK-R93R-62,11000,20101229,20110105,20110110,lots,1,3578\n`;

/** The real export, with its sales file replaced by `sales`. */
async function realFiles(sales: string) {
  return Promise.all(REAL_FILES.map(async (file) => {
    const name = file.split('/').pop()!;
    const buffer = name === 'sales_details.csv' ? Buffer.from(sales) : await readFile(file);
    return { name, mimeType: 'text/csv', buffer };
  }));
}

test('a good run is kept: a reload shows its results without running again', { timeout: 240_000 }, async () => {
  const { page } = app;
  assert.equal(await runTo(page, () => page.getByTestId('load-sample').click()), 'success', await runError(page));
  goodKpis = await resultKpis(page);
  await reload(page, '#/tables');
  assert.deepEqual(await resultKpis(page), goodKpis, 'a reload shows the saved KPIs');
  assert.equal(await restores(page), 1, 'the results came from the store');
  assert.equal(await page.getByTestId('run-status').getAttribute('data-state'), 'success', 'the status is the saved run\'s');
  const [row] = await historyRows(page, 1);
  assert.deepEqual(row.tasks, TASK_IDS.map(() => 'success'), 'one run in the history: nothing ran again');
});

/**
 * Holds every message the page sends to a worker while this tab's session storage says so:
 * after a reload the engine gets nothing (it neither starts nor restores) until released.
 */
const HOLD_ENGINE = `(() => {
  if (!sessionStorage.getItem('hold-engine')) return;
  const gate = window.heldMessages = { held: [], post: Worker.prototype.postMessage };
  Worker.prototype.postMessage = function (...args) { gate.held.push([this, args]); };
  window.releaseMessages = () => {
    sessionStorage.removeItem('hold-engine');
    Worker.prototype.postMessage = gate.post;
    for (const [worker, args] of gate.held.splice(0)) gate.post.apply(worker, args);
  };
})()`;

test('a reload paints the dashboards from the saved figures before the engine answers; the engine then takes over', { timeout: 180_000 }, async () => {
  const { page } = app;
  await go(page, '#/dashboards/executive');
  await page.locator('[data-testid="dashboard"][data-state="ready"][data-query-ms]').waitFor({ timeout: RUN_TIMEOUT });
  const shown = await readKpis(page);
  assert.deepEqual(shown, goodKpis, 'the dashboard without filters shows the run\'s KPIs');
  await page.context().addInitScript(HOLD_ENGINE);
  await page.evaluate(() => sessionStorage.setItem('hold-engine', '1'));
  await page.reload();
  await page.locator('[data-testid="kpi-total_sales"][data-value]').waitFor({ timeout: 60_000 });
  await page.locator('[data-testid^="chart-"][data-state="ready"]').first().waitFor({ timeout: 60_000 });
  assert.deepEqual(await readKpis(page), shown, 'the painted KPI cards are the saved figures');
  assert.ok(await page.evaluate(() => (window as unknown as { heldMessages: { held: unknown[] } }).heldMessages.held.length > 0), 'the engine has not been asked anything yet');
  assert.notEqual(await page.getByTestId('engine-status').getAttribute('data-state'), 'ready', 'the engine is not ready');
  // Every text the badge and the page show while the saved results load and the dashboards are prepared (brief at this size).
  await page.evaluate(`(() => {
    window.loadingTexts = [];
    new MutationObserver(() => {
      for (const id of ['engine-restoring', 'restore-progress', 'dashboards-building']) {
        const text = document.querySelector('[data-testid="' + id + '"]')?.textContent?.replace(/\\s+/g, ' ').trim();
        if (text && window.loadingTexts.at(-1) !== text) window.loadingTexts.push(text);
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  })()`);
  await page.evaluate(() => (window as unknown as { releaseMessages: () => void }).releaseMessages());
  await engineReady(page);
  await page.locator('[data-testid="dashboard"][data-state="ready"][data-query-ms]').waitFor({ timeout: RUN_TIMEOUT });
  assert.deepEqual(await readKpis(page), shown, 'the engine\'s answer is the painted one');
  assert.equal(await restores(page), 1, 'the engine restored the saved results');
  const texts = (await page.evaluate('window.loadingTexts')) as string[];
  assert.ok(texts.some((t) => /^· saved results \d+ %$/.test(t)), `the engine badge said how far the restore was: ${texts.join(' | ')}`);
  assert.ok(texts.some((t) => /^Loading the saved results into the engine: \d+ % of [\d,]+ rows\. The dashboards saved with them are shown meanwhile/.test(t)),
    `the page said it in words: ${texts.join(' | ')}`);
  assert.ok(texts.some((t) => /^Preparing the dashboards for these results: step \d+ of \d+\./.test(t)), `then how far the dashboards' build was: ${texts.join(' | ')}`);
  assert.equal(await page.locator('[data-testid="restore-progress"], [data-testid="dashboards-building"], [data-testid="engine-restoring"]').count(), 0, 'and no longer once the engine answered');
});

test('a run with a broken file fails, keeps the good results, and the history holds both', { timeout: 240_000 }, async () => {
  const { page } = app;
  assert.ok(goodKpis, 'needs the good run of the first test');
  const files = await realFiles(BROKEN_SALES);
  assert.equal(await runTo(page, () => chooseFiles(page, files)), 'failed');
  assert.match(await runError(page), /validation failed/);
  assert.deepEqual(await resultKpis(page), goodKpis, 'the good KPIs are still shown');

  await reload(page, '#/run');
  assert.deepEqual(await resultKpis(page), goodKpis, 'after a reload too');
  assert.equal(await page.getByTestId('task-validate_data').getAttribute('data-state'), 'failed', 'the Run page shows the failed run again');
  const rows = await historyRows(page, 2);
  assert.deepEqual(rows.map((r) => r.state), ['failed', 'success']);
  assert.deepEqual(rows[0].tasks.slice(0, 3), ['success', 'failed', 'upstream_failed']);
  await openRun(page, rows[0].runId);
  await page.getByTestId('history-detail').getByText(/validation failed/).first().waitFor();
  assert.ok(await page.getByTestId('history-detail').getByText('sales_details.csv').count(), 'the run lists its source files');
});

test('the worker killed mid-run: the last good results stay, and the run is recorded as cut off', { timeout: 240_000 }, async () => {
  const { page } = app;
  await go(page, '#/data');
  // The run is paused as run_silver starts, and the worker dies there: never a race with the run.
  await holdRunAt(page, 'run_silver');
  await page.getByTestId('load-sample').click();
  await runHeld(page);
  await page.locator('[data-testid="task-run_silver"][data-state="running"]').waitFor({ timeout: RUN_TIMEOUT });
  await killWorker(page);
  assert.equal(await waitForRunState(page, ['success', 'failed']), 'failed');
  assert.match(await runError(page), /worker stopped/);
  await page.waitForFunction(() => performance.getEntriesByName('workbench:results-restored').length === 2, null, { timeout: RUN_TIMEOUT });
  await engineReady(page);
  assert.deepEqual(await resultKpis(page), goodKpis, 'a fresh worker shows the last good results');

  const rows = await historyRows(page, 3);
  assert.deepEqual(rows.map((r) => r.state), ['failed', 'failed', 'success']);
  assert.deepEqual(rows[0].tasks, ['success', 'success', 'failed', 'upstream_failed', 'upstream_failed', 'upstream_failed', 'upstream_failed']);
});

test('a run from the history re-runs the same inputs; a run can be deleted', { timeout: 240_000 }, async () => {
  const { page } = app;
  const before = await historyRows(page, 3);
  const broken = before.find((r) => r.tasks[0] === 'success' && r.tasks[1] === 'failed')!;
  await openRun(page, broken.runId);
  const checksums = await page.getByTestId('history-detail').locator('td.mono').allTextContents();
  assert.equal(await runTo(page, () => page.getByTestId('rerun').click()), 'failed');
  assert.match(await runError(page), /validation failed/, 'the same files fail the same way');

  const rows = await historyRows(page, 4);
  assert.equal(rows[0].tasks[1], 'failed');
  await openRun(page, rows[0].runId);
  assert.deepEqual(await page.getByTestId('history-detail').locator('td.mono').allTextContents(), checksums, 'same inputs, same checksums');
  await page.getByTestId('delete-run').click();
  await page.getByTestId('confirm-delete-confirm').click();
  const left = await historyRows(page, 3);
  assert.deepEqual(left.map((r) => r.runId), before.map((r) => r.runId));
});

test('a second tab is read-only until it takes over', { timeout: 180_000 }, async () => {
  const { page, context } = app;
  const second = await context.newPage();
  second.on('pageerror', (e) => app.problems.push(`second tab: ${e.message}`));
  await reload(second, '#/tables');
  assert.deepEqual(await resultKpis(second), goodKpis, 'it shows the saved results');
  const notice = second.getByTestId('tab-notice');
  assert.equal(await notice.getAttribute('data-state'), 'other-tab');
  await go(second, '#/history');
  assert.ok(await second.getByTestId('clear-all').isDisabled(), 'only the tab that keeps the data may delete it');
  await second.getByTestId('take-over').click();
  await notice.waitFor({ state: 'detached' });
  await page.getByTestId('tab-notice').waitFor();
  assert.equal(await page.getByTestId('tab-notice').getAttribute('data-state'), 'lost');
  await second.close();
  // The first tab gets the store back when the other one closes.
  await page.getByTestId('tab-notice').waitFor({ state: 'detached', timeout: 30_000 });
});

async function storedVersion(page: Page): Promise<unknown> {
  return page.evaluate(() => new Promise<unknown>((resolve, reject) => {
    const open = indexedDB.open('retail-workbench');
    open.onsuccess = () => {
      const get = open.result.transaction('store').objectStore('store').get('meta/schemaVersion');
      get.onsuccess = () => resolve(get.result);
    };
    open.onerror = () => reject(open.error);
  }));
}

/**
 * Rewrites the saved results the way layouts 1 and 2 kept them: each table as one Arrow IPC
 * stream under results/<generation>/<schema>.<table> (the chunks joined: one schema message,
 * every record batch, one end marker), and a manifest without chunk lists.
 */
async function writeOldLayout(page: Page, version: number): Promise<void> {
  await page.evaluate((v) => new Promise<void>((resolve, reject) => {
    const open = indexedDB.open('retail-workbench');
    open.onsuccess = () => {
      const tx = open.result.transaction('store', 'readwrite');
      const store = tx.objectStore('store');
      const get = store.get('meta/current');
      get.onsuccess = () => {
        const manifest = get.result as { generation: string; tables: { schema: string; name: string; chunks?: { key: string }[] }[] };
        let pending = manifest.tables.length;
        for (const table of manifest.tables) {
          const keys = table.chunks!.map((c) => c.key);
          const reads = keys.map((k) => new Promise<Uint8Array>((ok) => {
            const r = store.get(k);
            r.onsuccess = () => ok(r.result as Uint8Array);
          }));
          void Promise.all(reads).then((chunks) => {
            // A chunk is: schema message (8-byte prefix + metadata), record batches, 8-byte end marker.
            // (No named helper functions in here: the page gets this source as is.)
            const parts = chunks.map((c, i) => c.subarray(i === 0 ? 0 : 8 + new DataView(c.buffer, c.byteOffset).getInt32(4, true), c.length - 8));
            const whole = new Uint8Array(parts.reduce((n, p) => n + p.length, 0) + 8);
            let at = 0;
            for (const p of parts) {
              whole.set(p, at);
              at += p.length;
            }
            whole.set([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0], at);
            for (const k of keys) store.delete(k);
            store.put(whole, `results/${manifest.generation}/${table.schema}.${table.name}`);
            delete table.chunks;
            if (--pending === 0) {
              store.put(manifest, 'meta/current');
              store.put(v, 'meta/schemaVersion');
              if (v === 1) store.delete(IDBKeyRange.bound('summaries/', 'summaries/\uffff'));
            }
          });
        }
      };
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    };
    open.onerror = () => reject(open.error);
  }), version);
}

test('a store written in an earlier layout (version 1: one value per table, no summaries) is read after the upgrade', { timeout: 180_000 }, async () => {
  const { page } = app;
  const before = await historyRows(page, 3);
  await writeOldLayout(page, 1);
  assert.equal(await storedVersion(page), 1);
  await reload(page, '#/tables');
  assert.deepEqual(await resultKpis(page), goodKpis, 'the saved results are restored');
  assert.deepEqual(await historyRows(page, 3), before, 'the history reads the same after the upgrade');
  assert.equal(await storedVersion(page), SCHEMA_VERSION);
});

test('clear all data asks first, then leaves nothing behind', { timeout: 180_000 }, async () => {
  const { page } = app;
  await historyRows(page, 3);
  await page.getByTestId('clear-all').click();
  await page.getByTestId('confirm-clear').getByRole('button', { name: 'Cancel' }).click();
  assert.equal((await historyRows(page, 3)).length, 3, 'cancel keeps everything');
  await page.getByTestId('clear-all').click();
  await page.getByTestId('confirm-clear-confirm').click();
  await page.getByText('No runs yet').waitFor();
  await reload(page, '#/tables');
  await page.getByText('No tables yet').waitFor();
  const keys = await page.evaluate(() => new Promise<string[]>((resolve) => {
    const open = indexedDB.open('retail-workbench');
    open.onsuccess = () => {
      const req = open.result.transaction('store').objectStore('store').getAllKeys();
      req.onsuccess = () => resolve(req.result.map(String));
    };
  }));
  const left = keys.filter((k) => /^(runs|summaries|inputs|results)\/|^meta\/current$/.test(k));
  assert.deepEqual(left, [], `no run, source file or result is left: ${keys.join(', ')}`);
});

test('with persist=0, a worker that dies takes its results along: the page stops showing them and says why', { timeout: 180_000 }, async () => {
  const own = await harness.open(undefined, '/index.html?persist=0#/data');
  const { page } = own;
  assert.equal(await runTo(page, () => page.getByTestId('load-sample').click()), 'success', await runError(page));
  await go(page, '#/tables');
  assert.ok((await resultKpis(page)).total_sales > 0, 'the run\'s KPIs are shown');

  await killWorker(page);
  await page.waitForFunction(() => performance.getEntriesByName('workbench:engine-started').length === 2, null, { timeout: RUN_TIMEOUT });
  await engineReady(page);
  const notice = page.getByTestId('results-lost');
  await notice.waitFor();
  assert.match(await notice.innerText(), /started again[\s\S]*not kept in this browser[\s\S]*Run the pipeline again/);
  // Each page once it is drawn: its empty state, or (Run) the cut-off run's tasks.
  const drawn: Record<string, string> = { '#/tables': 'text=No tables yet', '#/dashboards/executive': 'text=No dashboards yet', '#/run': '[data-testid="task-ingest_bronze"]' };
  for (const [hash, ready] of Object.entries(drawn)) {
    await go(page, hash);
    await page.locator(ready).waitFor();
    assert.equal(await page.locator('[data-testid^="kpi-"][data-value]').count(), 0, `${hash} shows no figure the engine does not hold`);
  }
  await harness.close(own);
});

test('the page only talked to its own origin, under a strict CSP', async () => {
  await harness.close(app);
});
