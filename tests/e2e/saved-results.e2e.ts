/**
 * Saved results at the browser's limits: a table larger than Chromium takes as one
 * IndexedDB value (127 MiB) is saved in pieces and restored after a reload; a save that
 * runs out of room (a real quota, on a profile on disk) says why in words, leaves the
 * previous results intact, and the badge, History and Dashboards agree after a reload.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { CDPSession, Page } from 'playwright-core';
import { sampleFiles } from '../../src/sample-data/generator.ts';
import { readKpis, RUN_TIMEOUT, runError, startHarness, waitForRunState, type Harness } from './harness.ts';
import { nav } from './page-actions.ts';

/** Chromium's largest single IndexedDB value, measured: a larger put aborts the transaction. */
const CHROMIUM_MAX_VALUE = 133_169_152;
const COPIES = 22;
/** A KPI model of about 190 MB in Arrow: every sales line COPIES times, with a wide text column. */
const BIG_MODEL = `-- grain: one row per sales line and copy (a table larger than one IndexedDB value)
select
    f.order_number,
    c.copy,
    repeat('x', 120) as pad,
from gold.fact_sales as f
cross join (select range as copy from range(${COPIES})) as c
`;

let harness: Harness;

before(async () => {
  harness = await startHarness();
});

after(async () => {
  await harness?.stop();
});

interface Manifest { runId: string; generation: string; tables: { schema: string; name: string; rows: number; bytes: number; chunks: { key: string; bytes: number }[] }[] }

/** The manifest of the saved results, straight from IndexedDB. */
function savedManifest(page: Page): Promise<Manifest | undefined> {
  return page.evaluate(() => new Promise<Manifest | undefined>((resolve, reject) => {
    const open = indexedDB.open('retail-workbench');
    open.onsuccess = () => {
      const get = open.result.transaction('store').objectStore('store').get('meta/current');
      get.onsuccess = () => resolve(get.result as Manifest | undefined);
      get.onerror = () => reject(get.error);
    };
    open.onerror = () => reject(open.error);
  }));
}

/** The largest value stored under results/, in bytes, read value by value. */
function largestStoredChunk(page: Page): Promise<{ count: number; largest: number }> {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('retail-workbench');
    open.onsuccess = () => {
      const cursor = open.result.transaction('store').objectStore('store').openCursor(IDBKeyRange.bound('results/', 'results/\uffff'));
      let count = 0;
      let largest = 0;
      cursor.onsuccess = () => {
        const c = cursor.result;
        if (!c) return resolve({ count, largest });
        count++;
        largest = Math.max(largest, (c.value as Uint8Array).byteLength);
        c.continue();
      };
      cursor.onerror = () => reject(cursor.error);
    };
    open.onerror = () => reject(open.error);
  }));
}

async function reload(page: Page, hash: string): Promise<void> {
  await page.evaluate((h) => history.replaceState(null, '', h), hash);
  await page.reload();
  await page.locator('[data-testid="engine-status"][data-state="ready"]').waitFor({ timeout: RUN_TIMEOUT });
}

async function resultKpis(page: Page): Promise<Record<string, number>> {
  await page.locator('[data-testid="kpi-total_sales"][data-value]').waitFor({ timeout: RUN_TIMEOUT });
  return readKpis(page);
}

test('a table larger than one IndexedDB value is saved in pieces and restored after a reload', { timeout: 240_000 }, async () => {
  const app = await harness.open();
  const { page } = app;
  await page.getByTestId('load-sample').click();
  assert.equal(await waitForRunState(page, ['success', 'failed']), 'success', await runError(page));
  const kpis = await resultKpis(page);

  await nav(page, 'Models');
  await page.getByTestId('new-kpi-name').fill('storage_pieces');
  await page.getByTestId('new-kpi-create').click();
  await page.getByTestId('model-editor').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(BIG_MODEL);
  await page.getByTestId('model-check').click();
  await page.getByTestId('model-ok').waitFor({ timeout: 30_000 });
  await page.getByTestId('model-rerun').click();
  const done = page.locator('[data-testid="rerun-status"]:is([data-state="success"], [data-state="failed"])');
  await done.waitFor({ timeout: 120_000 });
  assert.equal(await done.getAttribute('data-state'), 'success', await page.getByTestId('rerun-status').innerText());

  // Saved before the re-run reports success: the store names the new table now.
  const manifest = await savedManifest(page);
  const big = manifest?.tables.find((t) => t.name === 'storage_pieces');
  const fact = manifest?.tables.find((t) => t.name === 'fact_sales');
  assert.ok(big && fact, `the big table is saved: ${manifest?.tables.map((t) => t.name).join(', ')}`);
  assert.equal(big.rows, fact.rows * COPIES);
  assert.ok(big.bytes > CHROMIUM_MAX_VALUE, `the table (${big.bytes} bytes) is larger than one value may be`);
  const stored = await largestStoredChunk(page);
  assert.equal(stored.count, manifest!.tables.reduce((s, t) => s + t.chunks.length, 0), 'one stored value per chunk');
  assert.ok(stored.largest <= 8 * 1024 * 1024, `no stored piece grows with the table (largest ${stored.largest} bytes)`);
  assert.equal(await page.getByTestId('save-notice').count(), 0, 'no save problem is shown');

  await reload(page, '#/tables');
  assert.equal(await page.evaluate(() => performance.getEntriesByName('workbench:results-restored').length), 1, 'the results came from the store');
  assert.deepEqual(await resultKpis(page), kpis, 'the saved KPIs');
  const row = await page.getByTestId('table-kpi.storage_pieces').innerText();
  assert.equal(Number(row.split('\n').pop()!.replace(/\D/g, '')), big.rows, `every row came back: ${row}`);
  await harness.close(app);
});

/** The generated sample at `scale` as files for the file input (made in Node by the app's own generator). */
function generatedFiles(scale: number) {
  return sampleFiles({ scale }).map((f) => ({ name: f.name, mimeType: 'text/csv', buffer: Buffer.concat([...f.chunks()].map((c) => Buffer.from(c))) }));
}

/**
 * Sets the site's quota to what it uses now plus `room`, and waits until IndexedDB enforces
 * it: IndexedDB trusts the free space it last asked the quota manager for (decaying over 30 s)
 * and asks again only for a write larger than that, so a write larger than the whole earlier
 * quota makes it ask now. The probe write is refused, and nothing is kept.
 */
async function limitStorage(page: Page, cdp: CDPSession, room: number): Promise<void> {
  const used = await page.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: harness.origin, quotaSize: used + room });
  const refused = await page.evaluate((bytes) => new Promise<string>((resolve) => {
    const open = indexedDB.open('quota-probe', 1);
    open.onupgradeneeded = () => open.result.createObjectStore('probe');
    open.onsuccess = () => {
      const data = new Uint8Array(bytes);
      for (let at = 0; at < bytes; at += 65536) crypto.getRandomValues(data.subarray(at, at + 65536));
      const tx = open.result.transaction('probe', 'readwrite');
      tx.objectStore('probe').put(data, 'probe');
      tx.oncomplete = () => resolve('stored');
      tx.onabort = () => resolve(tx.error?.name ?? 'aborted');
    };
  }), FIRST_QUOTA + 1024 * 1024);
  assert.equal(refused, 'QuotaExceededError', 'the lower quota is in force');
}

/** The quota from the start: room for the app and one small saved run, so IndexedDB's view of the free space stays small. */
const FIRST_QUOTA = 120 * 1024 * 1024;

test('a save that runs out of room says why in words, and the previous results are intact after a reload', { timeout: 240_000 }, async () => {
  const profile = await mkdtemp(path.join(tmpdir(), 'workbench-quota-'));
  let cdp!: CDPSession;
  const app = await harness.openPersistent(profile, async (page, context) => {
    cdp = await context.newCDPSession(page);
    await cdp.send('Storage.overrideQuotaForOrigin', { origin: harness.origin, quotaSize: FIRST_QUOTA });
  });
  try {
    const { page } = app;
    await page.getByTestId('load-sample').click();
    assert.equal(await waitForRunState(page, ['success', 'failed']), 'success', await runError(page));
    const kept = await resultKpis(page);
    const first = await savedManifest(page);
    assert.ok(first, 'the sample run is saved');

    // As on a nearly full disk: room for the next run's records, not for its tables.
    await limitStorage(page, cdp, 1024 * 1024);
    await nav(page, 'Data');
    await page.getByRole('button', { name: 'Remove all' }).click();
    const started = page.waitForSelector('[data-testid="run-status"][data-state="running"]', { timeout: RUN_TIMEOUT });
    await page.getByTestId('source-files').setInputFiles(generatedFiles(4));
    await started;
    assert.equal(await waitForRunState(page, ['success', 'failed']), 'success', await runError(page));
    const notice = await page.getByTestId('save-notice').innerText({ timeout: 30_000 });
    assert.doesNotMatch(notice, /\bnull\b|undefined/);
    assert.match(notice, /could not be saved: this browser's storage for the workbench is full\. To make room, delete older runs/);
    assert.match(notice, /The results saved before, of the run of .+ UTC, are kept: a reload shows them\./);
    const after = await savedManifest(page);
    assert.equal(after?.generation, first.generation, 'the saved results are still those of the first run');
    assert.equal((await largestStoredChunk(page)).count, first.tables.reduce((s, t) => s + t.chunks.length, 0), 'nothing of the failed save is left');

    await reload(page, '#/dashboards');
    assert.deepEqual(await resultKpis(page), kept, 'a reload shows the results saved before');
    // One truth: the badge, the banner, the Dashboards page and History say the same.
    const badge = page.getByTestId('run-status');
    assert.equal(await badge.getAttribute('data-state'), 'success');
    assert.match(await badge.innerText(), /Run succeeded · .+ · results not available/);
    assert.match(await page.getByTestId('save-notice').innerText(), /storage for the workbench is full/);
    await page.getByText('From the last saved run').waitFor();
    await nav(page, 'History');
    const latest = page.locator('[data-testid="history-run"]').first();
    assert.equal(await latest.getAttribute('data-state'), 'success');
    await latest.getByTestId('history-not-saved').waitFor();
    assert.equal(await page.locator(`[data-testid="history-run"][data-run-id="${first.runId}"]`).getByText('current results').count(), 1);
    await harness.close(app);
  } finally {
    await app.context.close().catch(() => undefined);
    await rm(profile, { recursive: true, force: true });
  }
});
