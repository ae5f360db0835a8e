/**
 * Embedding: a portal page on another origin mounts the built app with the host SDK
 * (embed.js), drives it through the postMessage API, and gets KPIs back; a portal
 * on an origin that is not allowed is ignored; the app works from a sub-path.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { datasetDir, REAL_FILES, repoRoot, startHarness, waitForRunState, type AppPage, type Harness } from './harness.ts';
import { referenceKpis } from './kpi-reference.ts';
import { serveStatic, STRICT_CSP, type StaticServer } from './server.ts';

const dist = path.join(repoRoot, 'dist');
let harness: Harness;
let app: StaticServer;
let portal: StaticServer;
let stranger: StaticServer;

/** A portal page: imports the SDK from the app's origin and mounts the workbench. */
function portalPage(appOrigin: string): string {
  return `<!doctype html><html><head><title>Portal</title></head><body>
<h1>Intranet portal</h1><div id="wb"></div>
<script type="module">
  import { mount } from '${appOrigin}/embed.js';
  window.messages = [];
  const wb = mount(document.getElementById('wb'), { src: '${appOrigin}/', page: 'data', theme: 'dark', persist: false });
  for (const name of ['ready', 'run-status', 'kpis', 'filters-changed', 'error', 'resize']) wb.on(name, (m) => window.messages.push(m));
  window.wb = wb;
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
  strangerFiles['/index.html'] = { body: portalPage(app.origin), type: 'text/html' };
});

after(async () => {
  await harness?.stop();
  await Promise.all([app?.close(), portal?.close(), stranger?.close()]);
});

type Message = { type: string; version: number; [k: string]: unknown };
const messages = (page: Page) => page.evaluate(() => (window as unknown as { messages: Message[] }).messages);

async function waitForMessage(page: Page, test: (m: Message) => boolean, timeout = 120_000): Promise<Message> {
  const started = Date.now();
  for (;;) {
    const found = (await messages(page)).find(test);
    if (found) return found;
    if (Date.now() - started > timeout) throw new Error(`no such message; got ${JSON.stringify((await messages(page)).map((m) => m.type))}`);
    await page.waitForTimeout(250);
  }
}

function assertOnlyOwnOrigins(app: AppPage, origins: string[]) {
  const foreign = app.requests.filter((u) => !origins.some((o) => u.startsWith(`${o}/`)) && !/^(blob|data):/.test(u));
  assert.deepEqual(foreign, [], 'no request leaves the portal and the app origins');
}

test('a portal on an allowed origin loads the real export and gets the KPIs', { timeout: 240_000 }, async () => {
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
  const frame = page.page.frames().find((f) => f.url().startsWith(app.origin))!;
  const inner = await frame.evaluate(() => document.documentElement.scrollHeight - window.innerHeight);
  assert.ok(inner <= 1, `the embedded page fits its iframe (overflow ${inner}px)`);
  assert.equal(await frame.evaluate(() => document.documentElement.dataset.theme), 'dark', 'theme=dark applies');
  assert.equal(await frame.locator('header nav').count(), 0, 'no app chrome in embed mode');

  // export: the host asks for a table and gets its bytes
  const exported = await page.page.evaluate(async () => {
    const file = await (window as unknown as { wb: { exportTable(t: string): Promise<{ name: string; data: ArrayBuffer }> } }).wb.exportTable('gold.dim_products');
    return { name: file.name, head: new TextDecoder().decode(file.data.slice(0, 40)) };
  });
  assert.equal(exported.name, 'dim_products.csv');
  assert.match(exported.head, /^product_key,product_id,product_number/);
  assertOnlyOwnOrigins(page, [portal.origin, app.origin]);
  await page.context.close();
});

test('a portal on an origin that is not allowed is ignored', { timeout: 120_000 }, async () => {
  const page = await harness.open(undefined, `${stranger.origin}/index.html`);
  const frame = page.page.frames().find((f) => f.url().startsWith(app.origin))!;
  await frame.getByTestId('engine-status').or(frame.getByTestId('run-status')).first().waitFor();
  // It speaks anyway, bypassing the SDK's wait for `ready`:
  await page.page.evaluate(() => {
    const iframe = document.querySelector('iframe')!;
    iframe.contentWindow!.postMessage({ type: 'workbench:load-files', version: 1, files: [{ name: 'x.csv', data: new ArrayBuffer(4) }] }, '*');
    iframe.contentWindow!.postMessage({ type: 'workbench:set-page', version: 1, page: 'tables' }, '*');
  });
  await page.page.waitForTimeout(3000);
  assert.deepEqual(await messages(page.page), [], 'the app says nothing to a portal it does not know');
  assert.equal(await frame.evaluate(() => location.hash.startsWith('#/tables')), false, 'set-page was ignored');
  assert.equal(await frame.getByText('x.csv').count(), 0, 'load-files was ignored');
  await page.context.close();
});

test('the app works from a sub-path', { timeout: 180_000 }, async () => {
  const sub = await serveStatic(dist, { 'Content-Security-Policy': STRICT_CSP }, { prefix: '/apps/workbench' });
  try {
    const page = await harness.open(undefined, `${sub.origin}/apps/workbench/?sample`);
    assert.equal(await waitForRunState(page.page, ['success', 'failed']), 'success');
    assertOnlyOwnOrigins(page, [sub.origin]);
    assert.ok(page.requests.some((u) => u.startsWith(`${sub.origin}/apps/workbench/assets/`) && u.endsWith('.wasm')), 'the wasm comes from the sub-path');
    await page.context.close();
  } finally {
    await sub.close();
  }
});
