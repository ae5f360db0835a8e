/**
 * Embedding: a portal page on another origin mounts the built app with the host SDK
 * (embed.js), drives it through the postMessage API, and gets KPIs (filtered as it
 * asks) and tables back; with persist=0 nothing is kept in IndexedDB; a portal on an
 * origin that is not allowed is ignored; the app works from a sub-path.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { datasetDir, distDir as dist, REAL_FILES, startHarness, waitForRunState, type AppPage, type Harness } from './harness.ts';
import { parseCsv, referenceKpis } from './kpi-reference.ts';
import { serveStatic, STRICT_CSP, type StaticServer } from './server.ts';

let harness: Harness;
let app: StaticServer;
let portal: StaticServer;
let stranger: StaticServer;
/** An app whose deployer later removes the portal from its allow-list. */
let revoking: StaticServer;
const revokingFiles: Record<string, { body: string; type: string }> = {};

/** A portal page: imports the SDK from the app's origin and mounts the workbench (keeping nothing unless `persist`). */
function portalPage(appOrigin: string, persist = false): string {
  return `<!doctype html><html><head><title>Portal</title><link rel="icon" href="data:,"></head><body>
<h1>Intranet portal</h1><div id="wb"></div>
<script type="module">
  import { mount } from '${appOrigin}/embed.js';
  window.messages = [];
  const wb = mount(document.getElementById('wb'), { src: '${appOrigin}/', page: 'data', theme: 'dark', persist: ${persist} });
  for (const name of ['ready', 'run-status', 'kpis', 'filters-changed', 'error', 'resize']) wb.on(name, (m) => window.messages.push(m));
  window.wb = wb;
  window.remount = (src) => {
    window.wb = mount(document.getElementById('wb'), { src, page: 'data', theme: 'dark', persist: ${persist} });
    for (const name of ['ready', 'run-status', 'kpis', 'filters-changed', 'error', 'resize']) window.wb.on(name, (m) => window.messages.push(m));
  };
</script></body></html>`;
}

/**
 * A portal page with two elements: the app, and one whose src is script — which would run
 * in the portal's own origin if it were framed.
 */
function scriptSrcPage(appOrigin: string): string {
  return `<!doctype html><html><head><title>Portal</title></head><body>
<retail-workbench id="app" src="${appOrigin}/" page="data" persist="0"></retail-workbench>
<retail-workbench id="script" src="javascript:top.document.title='pwned'//"></retail-workbench>
<script type="module">
  import '${appOrigin}/embed.js';
  window.errors = [];
  document.getElementById('script').addEventListener('workbench:error', (e) => window.errors.push(e.detail.message));
</script></body></html>`;
}

/** The real export, served by the portal so its page can hand the files over. */
function dataFiles(): Record<string, { body: Uint8Array; type: string }> {
  return Object.fromEntries(REAL_FILES.map((f) => [`/data/${path.basename(f)}`, { body: readFileSync(f), type: 'text/csv' }]));
}

before(async () => {
  harness = await startHarness();
  // Served files are looked up per request, so each server can point at the others once all have ports.
  const portalFiles: Record<string, { body: string | Uint8Array; type: string }> = dataFiles();
  const strangerFiles: Record<string, { body: string; type: string }> = {};
  const appFiles: Record<string, { body: string; type: string }> = {};
  portal = await serveStatic(dist, {}, { files: portalFiles });
  stranger = await serveStatic(dist, {}, { files: strangerFiles });
  // The SDK is imported cross-origin, so the app serves it with CORS; the deployer allows one portal.
  app = await serveStatic(dist, { 'Content-Security-Policy': STRICT_CSP, 'Access-Control-Allow-Origin': '*' }, { files: appFiles });
  appFiles['/workbench.config.json'] = { body: JSON.stringify({ allowedOrigins: [portal.origin] }), type: 'application/json' };
  portalFiles['/index.html'] = { body: portalPage(app.origin), type: 'text/html' };
  portalFiles['/keep.html'] = { body: portalPage(app.origin, true), type: 'text/html' };
  strangerFiles['/index.html'] = { body: portalPage(app.origin), type: 'text/html' };
  portalFiles['/script-src.html'] = { body: scriptSrcPage(app.origin), type: 'text/html' };
  revoking = await serveStatic(dist, { 'Content-Security-Policy': STRICT_CSP, 'Access-Control-Allow-Origin': '*' }, { files: revokingFiles });
  revokingFiles['/workbench.config.json'] = { body: JSON.stringify({ allowedOrigins: [portal.origin] }), type: 'application/json' };
  portalFiles['/revoked.html'] = { body: portalPage(revoking.origin, true), type: 'text/html' };
});

after(async () => {
  await harness?.stop();
  await Promise.all([app?.close(), portal?.close(), stranger?.close(), revoking?.close()]);
});

type Message = { type: string; version: number; [k: string]: unknown };
const messages = (page: Page) => page.evaluate(() => (window as unknown as { messages: Message[] }).messages);

/** The first message the portal got that passes `test`; waits for each new message, never a fixed time. */
async function waitForMessage(page: Page, test: (m: Message) => boolean, timeout = 120_000): Promise<Message> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const got = await messages(page);
    const found = got.find(test);
    if (found) return found;
    const left = deadline - Date.now();
    await page.waitForFunction((seen) => (window as unknown as { messages: unknown[] }).messages.length > seen, got.length, { timeout: Math.max(left, 1) })
      .catch(() => {
        throw new Error(`no such message; got ${JSON.stringify(got.map((m) => m.type))}`);
      });
  }
}

type ExportedFile = { name: string; mimeType: string; data: ArrayBuffer };
/** The portal's handle on the SDK (window.wb). */
type Host = { wb: { setFilters(f: unknown): void; setPage(p: string): void; exportTable(t: string, f?: string): Promise<ExportedFile> } };

const appFrame = (page: Page): Frame => page.frames().find((f) => f.url().startsWith(app.origin))!;
/** The IndexedDB databases the embedded app sees (its own storage, partitioned under the portal). */
const databases = (frame: Frame) => frame.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
const sameFilter = (m: Message, key: string, values: string[]) => JSON.stringify((m.filters as Record<string, string[]>)[key]) === JSON.stringify(values);

/** Current products: one per product key of prd_info (the latest version of each). */
function productCount(): number {
  const [header, ...rows] = parseCsv(readFileSync(path.join(datasetDir, 'source_crm/prd_info.csv'), 'utf8'));
  const key = header.indexOf('prd_key');
  return new Set(rows.filter((r) => r.some((c) => c !== '')).map((r) => r[key])).size;
}

function assertOnlyOwnOrigins(app: AppPage, origins: string[]) {
  const foreign = app.requests.filter((u) => !origins.some((o) => u.startsWith(`${o}/`)) && !/^(blob|data):/.test(u));
  assert.deepEqual(foreign, [], 'no request leaves the portal and the app origins');
}

/** Closes a portal page: it talked only to these origins, and nothing was missing or broken (console errors, 404s, CSP). */
async function closePortal(page: AppPage, origins: string[]) {
  await page.context.close();
  assertOnlyOwnOrigins(page, origins);
  assert.deepEqual(page.problems, [], 'no console errors, page errors, missing files or CSP violations');
}

test('a portal on an allowed origin loads the real export, gets the KPIs, filtered KPIs and tables, and nothing is kept', { timeout: 240_000 }, async () => {
  // Portal and app are on different origins (different ports).
  assert.notEqual(new URL(portal.origin).origin, new URL(app.origin).origin);
  const page = await harness.open(undefined, `${portal.origin}/index.html`);
  const ready = await waitForMessage(page.page, (m) => m.type === 'workbench:ready');
  assert.equal(ready.version, 1);
  assert.ok((ready.pages as string[]).includes('dashboards'));

  await page.page.evaluate(async (names) => {
    const files = await Promise.all(names.map(async (name) => ({ name, data: await (await fetch(`/data/${name}`)).arrayBuffer() })));
    await (window as unknown as { wb: { loadFiles(f: unknown[]): Promise<void> } }).wb.loadFiles(files);
  }, REAL_FILES.map((f) => path.basename(f)));

  const kpis = await waitForMessage(page.page, (m) => m.type === 'workbench:kpis');
  const expected = referenceKpis(datasetDir);
  const got = kpis.kpis as Record<string, number>;
  assert.equal(got.total_sales, expected.total_sales);
  assert.equal(got.total_orders, expected.total_orders);
  assert.equal(got.total_units, expected.total_units);
  assert.equal(got.total_customers, expected.total_customers);
  const statuses = (await messages(page.page)).filter((m) => m.type === 'workbench:run-status').map((m) => m.state);
  assert.ok(statuses.includes('running') && statuses.at(-1) === 'success', `run-status went ${statuses.join(' → ')}`);

  // The host sizes the iframe to the content it reports: no inner scrollbar.
  const resize = await waitForMessage(page.page, (m) => m.type === 'workbench:resize');
  assert.ok(Number(resize.height) > 200);
  const frame = appFrame(page.page);
  const inner = await frame.evaluate(() => document.documentElement.scrollHeight - window.innerHeight);
  assert.ok(inner <= 1, `the embedded page fits its iframe (overflow ${inner}px)`);
  assert.equal(await frame.evaluate(() => document.documentElement.dataset.theme), 'dark', 'theme=dark applies');
  assert.equal(await frame.locator('header nav').count(), 0, 'no app chrome in embed mode');

  // export: the host asks for any table, as CSV or Parquet, and gets its bytes
  const exported = await page.page.evaluate(async () => {
    const file = await (window as unknown as Host).wb.exportTable('gold.dim_products', 'csv');
    return { name: file.name, mimeType: file.mimeType, text: new TextDecoder().decode(file.data) };
  });
  assert.equal(exported.name, 'dim_products.csv');
  assert.match(exported.mimeType, /^text\/csv/);
  assert.match(exported.text, /^product_key,product_id,product_number/);
  assert.equal(parseCsv(exported.text).length - 1, productCount(), 'one CSV row per current product');
  const parquet = await page.page.evaluate(async () => {
    const file = await (window as unknown as Host).wb.exportTable('kpi.overview', 'parquet');
    // No named helper in here: the test's compiler would wrap it in a function the page does not have.
    const bytes = new Uint8Array(file.data);
    return { name: file.name, mimeType: file.mimeType, head: String.fromCharCode(...bytes.slice(0, 4)), tail: String.fromCharCode(...bytes.slice(-4)) };
  });
  assert.deepEqual(parquet, { name: 'kpi_overview.parquet', mimeType: 'application/vnd.apache.parquet', head: 'PAR1', tail: 'PAR1' });
  const refused = await page.page.evaluate(() => (window as unknown as Host).wb.exportTable('gold.no_such_table').then(() => 'exported', (e: Error) => e.message));
  assert.match(refused, /no table gold\.no_such_table/);

  // filters: the next KPIs are those of the chosen country, computed independently here
  await page.page.evaluate(() => (window as unknown as Host).wb.setFilters({ country: ['United Kingdom'] }));
  const filtered = await waitForMessage(page.page, (m) => m.type === 'workbench:kpis' && sameFilter(m, 'country', ['United Kingdom']));
  await waitForMessage(page.page, (m) => m.type === 'workbench:filters-changed' && sameFilter(m, 'country', ['United Kingdom']));
  const uk = filtered.kpis as Record<string, number>;
  const expectedUk = referenceKpis(datasetDir, { country: ['United Kingdom'] });
  for (const m of ['total_sales', 'total_units', 'total_orders', 'total_customers'] as const) assert.equal(uk[m], expectedUk[m], m);
  assert.ok(Math.abs(uk.avg_order_value - expectedUk.total_sales / expectedUk.total_orders) < 1e-9, 'avg_order_value');
  assert.ok(Math.abs(uk.avg_unit_price - expectedUk.total_sales / expectedUk.total_units) < 1e-9, 'avg_unit_price');
  assert.deepEqual(Object.keys(uk).sort(), Object.keys(got).sort(), 'the same measures as without filters');
  assert.ok(uk.total_sales < got.total_sales && uk.total_customers < got.total_customers, 'the filter narrows the figures');

  // the host opens the dashboard: the filters stay, and its KPI cards show the figures sent
  await page.page.evaluate(() => (window as unknown as Host).wb.setPage('dashboards/executive'));
  await frame.locator('[data-testid="dashboard"][data-page="executive"][data-state="ready"]').waitFor({ timeout: 60_000 });
  for (const [m, value] of Object.entries(uk)) {
    assert.equal(Number(await frame.getByTestId(`kpi-${m}`).getAttribute('data-value')), value, `card ${m}`);
  }
  await page.page.evaluate(() => (window as unknown as Host).wb.setFilters({ year: ['2013'] }));
  const error = await waitForMessage(page.page, (m) => m.type === 'workbench:error' && /unknown filter "year"/.test(String(m.message)));
  assert.match(String(error.message), /country/, 'the error names the filters there are');

  // persist=0: the embedded app never opened IndexedDB, and a reload starts empty
  assert.deepEqual(await databases(frame), [], 'nothing in IndexedDB');
  assertOnlyOwnOrigins(page, [portal.origin, app.origin]);
  await page.page.reload();
  await waitForMessage(page.page, (m) => m.type === 'workbench:ready');
  const reloaded = appFrame(page.page);
  await reloaded.locator('[data-testid="engine-status"][data-state="ready"]').waitFor({ timeout: 60_000 });
  // The answer to a later request says the app has handled what came before: the engine holds no table.
  const empty = await page.page.evaluate(() => (window as unknown as Host).wb.exportTable('gold.dim_products').then(() => 'exported', (e: Error) => e.message));
  assert.match(empty, /there are no results yet/, 'the reloaded engine holds nothing');
  const after = await messages(page.page);
  assert.equal(after.filter((m) => m.type === 'workbench:kpis').length, 0, 'no results come back after a reload');
  assert.deepEqual([...new Set(after.filter((m) => m.type === 'workbench:run-status').map((m) => m.state))], ['idle']);
  assert.deepEqual(await databases(reloaded), [], 'still nothing in IndexedDB');
  await closePortal(page, [portal.origin, app.origin]);
});

test('an embed that keeps its results does use IndexedDB (the check above can see it)', { timeout: 120_000 }, async () => {
  const page = await harness.open(undefined, `${portal.origin}/keep.html`);
  await waitForMessage(page.page, (m) => m.type === 'workbench:ready');
  const frame = appFrame(page.page);
  // IndexedDB has no event for a new database: Playwright asks again every 100 ms until it is there.
  await frame.waitForFunction(async () => (await indexedDB.databases()).some((d) => d.name === 'retail-workbench'), undefined, { polling: 100 });
  await closePortal(page, [portal.origin, app.origin]);
});

test('a portal on an origin that is not allowed is ignored', { timeout: 120_000 }, async () => {
  const page = await harness.open(undefined, `${stranger.origin}/index.html`);
  const frame = appFrame(page.page);
  await frame.getByTestId('engine-status').or(frame.getByTestId('run-status')).first().waitFor();
  // It speaks anyway, bypassing the SDK's wait for `ready`; the app notes each message it ignores.
  const ignored = (type: string) => page.page.waitForEvent('console', {
    predicate: (m) => m.type() === 'warning' && m.text().includes(`ignored ${type} from ${stranger.origin}`), timeout: 60_000,
  });
  const handled = Promise.all([ignored('workbench:load-files'), ignored('workbench:set-page')]);
  await page.page.evaluate(() => {
    const iframe = document.querySelector('iframe')!;
    iframe.contentWindow!.postMessage({ type: 'workbench:load-files', version: 1, files: [{ name: 'x.csv', data: new ArrayBuffer(4) }] }, '*');
    iframe.contentWindow!.postMessage({ type: 'workbench:set-page', version: 1, page: 'tables' }, '*');
  });
  await handled;
  assert.deepEqual(await messages(page.page), [], 'the app says nothing to a portal it does not know');
  assert.equal(await frame.evaluate(() => location.hash.startsWith('#/tables')), false, 'set-page was ignored');
  assert.equal(await frame.getByText('x.csv').count(), 0, 'load-files was ignored');
  await closePortal(page, [stranger.origin, app.origin]);
});

test('the SDK refuses a src that is not an http(s) URL: an error event, no iframe, nothing runs', { timeout: 120_000 }, async () => {
  const page = await harness.open(undefined, `${portal.origin}/script-src.html`);
  const errors = page.page.waitForFunction(() => (window as unknown as { errors: string[] }).errors.length > 0 && (window as unknown as { errors: string[] }).errors);
  assert.deepEqual(await (await errors).jsonValue(), ['embed.js: src must be an http: or https: URL, not javascript:; no iframe was made']);
  assert.equal(await page.page.locator('#script iframe').count(), 0, 'no iframe for the refused src');
  assert.equal(await page.page.locator('#app iframe').count(), 1, 'the app beside it is framed');
  assert.equal(await page.page.title(), 'Portal', 'the src did not run in the portal');
  await page.context.close();
});

test('an origin removed from the allow-list is refused even offline: a kept copy never allows it', { timeout: 180_000 }, async () => {
  const page = await harness.open(undefined, `${portal.origin}/revoked.html`);
  await waitForMessage(page.page, (m) => m.type === 'workbench:ready');
  // The app's service worker takes charge, and a second start reads the list through it.
  await page.page.frames().find((f) => f.url().startsWith(revoking.origin))!.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 120_000 });
  /** Mounts the app again (the portal page stays); resolves with the app's frame. */
  const remount = async (): Promise<Frame> => {
    const navigated = page.page.waitForEvent('framenavigated', { predicate: (f) => f.url().startsWith(revoking.origin), timeout: 60_000 });
    await page.page.evaluate((src) => {
      const w = window as unknown as { wb: { destroy(): void }; messages: unknown[]; remount: (s: string) => void };
      w.wb.destroy();
      w.messages.length = 0;
      w.remount(src);
    }, `${revoking.origin}/`);
    return navigated;
  };
  await remount();
  await waitForMessage(page.page, (m) => m.type === 'workbench:ready');

  // The deployer removes the portal; this browser is offline (the app starts from its service worker).
  revokingFiles['/workbench.config.json'] = { body: JSON.stringify({ allowedOrigins: [] }), type: 'application/json' };
  await page.context.setOffline(true);
  try {
    const frame = await remount();
    // Whichever comes first: the app's word to the portal, or its verdict on the list.
    const first = await Promise.race([
      waitForMessage(page.page, (m) => m.type === 'workbench:ready').then(() => 'ready'),
      frame.waitForFunction(() => document.documentElement.dataset.allowList, null, { timeout: 120_000 }).then(async (h) => `allow-list ${await h.jsonValue()}`),
    ]);
    assert.equal(first, 'allow-list unavailable', 'the list cannot be read offline: the portal is not allowed');
    assert.deepEqual(await messages(page.page), [], 'the app says nothing to the portal');
  } finally {
    await page.context.setOffline(false);
  }
  await page.context.close();
});

test('the app works from a sub-path', { timeout: 180_000 }, async () => {
  const sub = await serveStatic(dist, { 'Content-Security-Policy': STRICT_CSP }, { prefix: '/apps/workbench' });
  try {
    const page = await harness.open(undefined, `${sub.origin}/apps/workbench/?sample`);
    assert.equal(await waitForRunState(page.page, ['success', 'failed']), 'success');
    assert.ok(page.requests.some((u) => u.startsWith(`${sub.origin}/apps/workbench/assets/`) && u.endsWith('.wasm')), 'the wasm comes from the sub-path');
    await closePortal(page, [sub.origin]);
  } finally {
    await sub.close();
  }
});
