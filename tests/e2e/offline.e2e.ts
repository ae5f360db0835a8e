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
    const sw = await readFile(path.join(distDir, 'sw.js'), 'utf8');
    files['/sw.js'] = { body: `${sw}\n// the next version\n`, type: 'text/javascript; charset=utf-8' };
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
    const prompt = page.getByTestId('update-prompt');
    await prompt.waitFor({ timeout: RUN_TIMEOUT });

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
