/**
 * The installable, offline app: after one visit the service worker has the whole app
 * and the DuckDB wasm, so with no network at all the app starts, shows the saved
 * results and runs the pipeline; a new version waits for the user, never mid-run.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { distDir, readKpis, RUN_TIMEOUT, runError, startHarness, waitForRunState, type Harness } from './harness.ts';
import { serveStatic, STRICT_CSP, type ServeOptions } from './server.ts';
import { callsHeld, holdCalls, releaseCalls } from './worker-control.ts';

let harness: Harness;

before(async () => {
  harness = await startHarness();
});

after(async () => {
  await harness?.stop();
});

async function engineReady(page: Page): Promise<void> {
  await page.waitForFunction(() => document.querySelector('[data-testid="engine-status"]')?.getAttribute('data-state') === 'ready', null, { timeout: RUN_TIMEOUT });
}

/** Waits until the service worker is active (installed: its precache is complete) and controls the page. */
async function serviceWorkerActive(page: Page): Promise<void> {
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: RUN_TIMEOUT });
}

/** Publishes a "new version" of the service worker on this server; the page finds it and shows the prompt. */
async function publishUpdate(page: Page, files: NonNullable<ServeOptions['files']>): Promise<void> {
  const sw = await readFile(path.join(distDir, 'sw.js'), 'utf8');
  files['/sw.js'] = { body: `${sw}\n// the next version\n`, type: 'text/javascript; charset=utf-8' };
  await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
  await page.getByTestId('update-prompt').waitFor({ timeout: RUN_TIMEOUT });
}

async function runSample(page: Page): Promise<Record<string, number>> {
  const started = page.waitForSelector('[data-testid="run-status"][data-state="running"]', { timeout: RUN_TIMEOUT });
  await page.getByTestId('load-sample').click();
  await started;
  assert.equal(await waitForRunState(page, ['success', 'failed']), 'success', await runError(page));
  await page.locator('[data-testid="kpi-total_sales"][data-value]').waitFor();
  return readKpis(page);
}

test('after one visit the app starts, shows the saved results and runs the pipeline with no network', { timeout: 240_000 }, async () => {
  const app = await harness.open();
  const { page, context } = app;
  await engineReady(page);
  await serviceWorkerActive(page);
  const precachedWasm = await page.evaluate(async () => {
    for (const name of await caches.keys()) {
      const requests = await (await caches.open(name)).keys();
      if (requests.some((r) => /duckdb-eh[^/]*\.wasm/.test(r.url))) return true;
    }
    return false;
  });
  assert.ok(precachedWasm, 'the DuckDB eh wasm is precached');
  const kpis = await runSample(page);

  await context.setOffline(true);
  try {
    await page.reload();
    await engineReady(page);
    await page.getByTestId('offline-notice').waitFor();
    await page.evaluate(() => (location.hash = '#/tables'));
    await page.locator('[data-testid="kpi-total_sales"][data-value]').waitFor();
    assert.deepEqual(await readKpis(page), kpis, 'the saved results are shown offline');
    await page.evaluate(() => (location.hash = '#/data'));
    assert.deepEqual(await runSample(page), kpis, 'the whole pipeline runs offline');
  } finally {
    await context.setOffline(false);
  }
  await harness.close(app);
});

test('installable: a manifest with name, theme colour and icons that load', { timeout: 60_000 }, async () => {
  const app = await harness.open();
  const { page } = app;
  const manifestUrl = await page.locator('link[rel="manifest"]').getAttribute('href');
  assert.ok(manifestUrl, 'index.html links the manifest');
  const manifest = await page.evaluate(async (url) => (await fetch(url)).json(), manifestUrl) as {
    name: string; theme_color: string; display: string; start_url: string; icons: { src: string; sizes: string; type: string }[];
  };
  assert.equal(manifest.name, 'Retail Analytics Workbench');
  assert.equal(manifest.display, 'standalone');
  assert.equal(manifest.start_url, './', 'relative: the app works from any sub-path');
  assert.match(await page.locator('meta[name="theme-color"]').first().getAttribute('content') ?? '', /^#[0-9a-f]{6}$/);
  assert.deepEqual(manifest.icons.map((i) => i.sizes).sort(), ['192x192', '512x512', '512x512', 'any']);
  for (const icon of manifest.icons) {
    const got = await page.evaluate(async (src) => {
      const response = await fetch(src);
      return { ok: response.ok, type: response.headers.get('content-type') };
    }, new URL(icon.src, new URL(manifestUrl, page.url())).href);
    assert.ok(got.ok && got.type?.startsWith(icon.type), `${icon.src} loads as ${icon.type}`);
  }
  await harness.close(app);
});

test('a new version announces itself and is installed on the user\'s word, never mid-run', { timeout: 240_000 }, async () => {
  // A server of its own, so this test can publish a "new version" of the service worker.
  const files: NonNullable<ServeOptions['files']> = {};
  const server = await serveStatic(distDir, { 'Content-Security-Policy': STRICT_CSP }, { files });
  const app = await harness.open(undefined, `${server.origin}/index.html`);
  const { page } = app;
  try {
    await engineReady(page);
    await serviceWorkerActive(page);
    await publishUpdate(page, files);
    const prompt = page.getByTestId('update-prompt');

    const started = page.waitForSelector('[data-testid="run-status"][data-state="running"]', { timeout: RUN_TIMEOUT });
    await page.getByTestId('load-sample').click();
    await started;
    assert.ok(await page.getByTestId('update-now').isDisabled(), 'no update while a run is under way');
    assert.equal(await waitForRunState(page, ['success', 'failed']), 'success', await runError(page));
    await page.locator('[data-testid="kpi-total_sales"][data-value]').waitFor();
    const kpis = await readKpis(page);

    const reloaded = page.waitForEvent('load', { timeout: RUN_TIMEOUT });
    await page.getByTestId('update-now').click();
    await reloaded;
    await engineReady(page);
    assert.equal(await prompt.count(), 0, 'the new version is in place');
    assert.equal(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting ?? null), null);
    await page.evaluate(() => (location.hash = '#/tables'));
    await page.locator('[data-testid="kpi-total_sales"][data-value]').waitFor();
    assert.deepEqual(await readKpis(page), kpis, 'the results are kept across the update');
    const foreign = app.requests.filter((u) => !u.startsWith(`${server.origin}/`) && !u.startsWith('blob:') && !u.startsWith('data:'));
    assert.deepEqual(foreign, []);
    assert.deepEqual(app.problems, []);
  } finally {
    await app.context.close();
    await server.close();
  }
});

test('an update waits for every job — a download, a console query — says which, and another tab\'s update never cuts them short', { timeout: 240_000 }, async () => {
  const files: NonNullable<ServeOptions['files']> = {};
  const server = await serveStatic(distDir, { 'Content-Security-Policy': STRICT_CSP }, { files });
  const app = await harness.open(undefined, `${server.origin}/index.html`);
  const { page, context } = app;
  try {
    await engineReady(page);
    await serviceWorkerActive(page);
    // A returning visit (controlled from the start), as a tab open while another one updates usually is.
    await page.reload();
    await engineReady(page);
    await runSample(page);
    await publishUpdate(page, files);

    // A download and a console query, each held at the worker's door: under way until the test lets them in.
    await holdCalls(page, ['exports.table', 'console.run']);
    await page.evaluate(() => (location.hash = '#/tables'));
    await page.getByTestId('table-gold.fact_sales').click();
    await page.getByTestId('download-table-csv').click();
    await page.evaluate(() => (location.hash = '#/console'));
    await page.getByTestId('sql-editor').click();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.insertText('select 42 as update_waited');
    await page.getByTestId('sql-run').click();
    await callsHeld(page, 2);
    const waiting = 'gold.fact_sales as CSV, Console query';
    const prompt = page.getByTestId('update-prompt');
    await prompt.getByText('once this work is over').waitFor();
    assert.match(await prompt.innerText(), new RegExp(`It can be installed once this work is over: ${waiting}\\.`));
    assert.ok(await page.getByTestId('update-now').isDisabled(), 'no update while a download or a query is under way');

    // What this tab sees of its work finishing, recorded even if the page reloads right after.
    const seen: string[] = [];
    await page.exposeBinding('noteSeen', (_source, what: string) => void seen.push(what));
    await page.evaluate(`(() => {
      const watch = new MutationObserver(() => {
        if (document.querySelector('[data-testid="sql-result"] [role="columnheader"]')?.parentElement?.textContent?.includes('update_waited')) {
          watch.disconnect();
          window.noteSeen('query result');
        }
      });
      watch.observe(document.body, { subtree: true, childList: true, characterData: true });
      window.sameDocument = true;
    })()`);

    // Another tab installs the new version: this one keeps its work and says it reloads after.
    const other = await context.newPage();
    await other.goto(`${server.origin}/index.html`);
    await engineReady(other);
    const otherReloaded = other.waitForEvent('load', { timeout: RUN_TIMEOUT });
    await other.getByTestId('update-now').click();
    await otherReloaded;
    await page.getByText(`The workbench was updated in another tab: this tab reloads once its work is over (${waiting}).`).waitFor({ timeout: RUN_TIMEOUT });
    assert.equal(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument), true, 'this tab did not reload under its work');

    const download = page.waitForEvent('download', { timeout: RUN_TIMEOUT });
    const reloaded = page.waitForEvent('load', { timeout: RUN_TIMEOUT });
    await releaseCalls(page);
    const file = await download;
    assert.equal(file.suggestedFilename(), 'fact_sales.csv');
    assert.equal(await file.failure(), null, 'the download finished');
    await reloaded;
    assert.deepEqual(seen, ['query result'], 'the query answered before the reload');
    await engineReady(page);
    assert.equal(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting ?? null), null, 'the new version is in place');
    await other.close();
    const foreign = app.requests.filter((u) => !u.startsWith(`${server.origin}/`) && !u.startsWith('blob:') && !u.startsWith('data:'));
    assert.deepEqual(foreign, []);
    assert.deepEqual(app.problems, []);
  } finally {
    await context.close();
    await server.close();
  }
});
