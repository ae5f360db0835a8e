/**
 * Source files in the browser's storage: a run keeps the files it accepted and none
 * that it refused, and the retention policy set on History removes the files of older
 * runs (never those of the results shown) and frees the room.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { sampleFiles } from '../../src/sample-data/generator.ts';
import { RUN_TIMEOUT, runError, startHarness, type AppPage, type Harness } from './harness.ts';
import { choose, nav, nextRunEnds, watchRuns, type Fixture } from './page-actions.ts';

let harness: Harness;
let app: AppPage;

before(async () => {
  harness = await startHarness();
  app = await harness.open();
});

after(async () => {
  await harness?.stop();
});

/** The generated sample at this scale as files; `ragged` adds a line with one field too many to the locations. */
function generated(scale: number, ragged = false): Fixture[] {
  return sampleFiles({ scale }).map((f) => {
    let text = [...f.chunks()].join('');
    if (ragged && f.name.endsWith('LOC_A101.csv')) text += 'AW00099999,Germany,one too many\n';
    return { name: f.name, bytes: new TextEncoder().encode(text) };
  });
}

/** The keys of the stored source files, straight from IndexedDB. */
function storedInputKeys(page: Page): Promise<string[]> {
  return page.evaluate(() => new Promise<string[]>((resolve, reject) => {
    const open = indexedDB.open('retail-workbench');
    open.onsuccess = () => {
      const keys = open.result.transaction('store').objectStore('store').getAllKeys(IDBKeyRange.bound('inputs/', 'inputs/\uffff'));
      keys.onsuccess = () => resolve(keys.result.map(String));
      keys.onerror = () => reject(keys.error);
    };
    open.onerror = () => reject(open.error);
  }));
}

/** Replaces the listed files with these; the run starts on its own. */
async function runOn(page: Page, files: Fixture[]): Promise<string> {
  await nav(page, 'Data');
  const removeAll = page.getByRole('button', { name: 'Remove all', exact: true });
  if (await removeAll.count()) await removeAll.click();
  await watchRuns(page);
  await choose(page, files);
  return nextRunEnds(page);
}

/** Opens the newest run of the history; the Kept column of its source files. */
async function newestRunKept(page: Page): Promise<string[]> {
  await nav(page, 'History');
  await page.locator('[data-testid="history-run"]').first().getByRole('link').click();
  const detail = page.getByTestId('history-detail');
  await detail.getByRole('heading', { name: /^Run of/ }).waitFor();
  const files = detail.locator('table').filter({ has: page.locator('caption', { hasText: 'Source files of this run' }) });
  return files.locator('tbody tr td:last-child').allTextContents();
}

test('a run keeps the source files it accepted, and none of those it refused', { timeout: 240_000 }, async () => {
  const { page } = app;
  assert.equal(await runOn(page, generated(0.2)), 'success', await runError(page));
  const accepted = await storedInputKeys(page);
  assert.equal(accepted.length, 6, 'the six accepted files are kept');

  assert.equal(await runOn(page, generated(0.3, true)), 'failed');
  assert.match(await runError(page), /LOC_A101\.csv.*has 3 fields but the header has 2/);
  assert.deepEqual(await storedInputKeys(page), accepted, 'the refused files took no room');
  assert.deepEqual(await newestRunKept(page), ['no', 'no', 'no', 'no', 'no', 'no']);
  await page.getByTestId('history-detail').getByText('the run did not accept them').waitFor();
});

test('the retention policy set on History removes older runs\' files, never those of the results shown', { timeout: 240_000 }, async () => {
  const { page } = app;
  const before = await storedInputKeys(page);
  assert.equal(await runOn(page, generated(0.25)), 'success', await runError(page));
  const both = await storedInputKeys(page);
  // Files that are the same at both scales (e.g. the product categories) are stored once.
  assert.ok(both.length > 6 && before.every((k) => both.includes(k)), 'the default policy keeps both good runs\' files');

  await nav(page, 'History');
  await page.getByTestId('retention-runs').fill('1');
  await page.getByTestId('retention-gib').fill('0.0001');
  await page.getByTestId('retention-apply').click();
  await page.getByText(/The source files of 1 older run were removed, freeing/).waitFor({ timeout: RUN_TIMEOUT });
  const left = await storedInputKeys(page);
  assert.equal(left.length, 6, 'only the current run\'s files are left (over the size limit, yet kept)');
  assert.ok(left.every((k) => both.includes(k)), 'nothing new was stored');
  assert.equal(before.filter((k) => !left.includes(k)).length, both.length - 6, 'the older run\'s own files went');

  await page.reload();
  await nav(page, 'History');
  const form = page.getByTestId('retention');
  await page.waitForFunction(() => document.querySelector('[data-testid="retention"]')?.getAttribute('data-runs') === '1');
  assert.equal(await form.getAttribute('data-bytes'), String(Math.round(0.0001 * 1024 ** 3)), 'the policy is kept');
  const oldest = page.locator('[data-testid="history-run"]').last();
  await oldest.getByRole('link').click();
  await page.getByTestId('history-detail').getByText(/source files were removed to free room/).waitFor();
  assert.ok(await page.getByTestId('rerun').isDisabled(), 'a run without its files cannot be re-run');
});

test('the page only talked to its own origin, under a strict CSP', async () => {
  await harness.close(app);
});
