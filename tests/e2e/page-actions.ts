/**
 * What a test does on the app's pages: navigate, choose files, follow runs (even short
 * ones), read messages and KPIs, and ask the SQL console.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { readKpis, RUN_TIMEOUT } from './harness.ts';

/** A file made in the test: its name and its bytes. */
export interface Fixture { name: string; bytes: Uint8Array }

const payload = (files: Fixture[]) => files.map((f) => ({ name: f.name, mimeType: 'text/csv', buffer: Buffer.from(f.bytes) }));

/** Follows a link of the main navigation. */
export async function nav(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();
  // The route changes after the click returns: wait for the page itself, or what follows reads the old page.
  await page.locator(`#${name.toLowerCase()}-title`).waitFor();
}

/** Gives files to the Data page's file input, as a person choosing them would. */
export async function choose(page: Page, files: Fixture[] | string[]): Promise<void> {
  await nav(page, 'Data');
  const input = page.getByTestId('source-files');
  if (typeof files[0] === 'string') await input.setInputFiles(files as string[]);
  else await input.setInputFiles(payload(files as Fixture[]));
}

export async function removeFile(page: Page, name: string): Promise<void> {
  await nav(page, 'Data');
  await page.getByRole('button', { name: `Remove ${name}`, exact: true }).click();
}

/**
 * Records every state of the run badge, so that a short run between two polls is not missed.
 * Given as source text: the test's transpiler would wrap named functions in a helper the page lacks.
 */
const WATCH_RUNS = `(() => {
  const w = window;
  w.runStates = [];
  w.runWatch?.disconnect();
  w.runWatch = new MutationObserver(() => {
    const state = document.querySelector('[data-testid="run-status"]')?.getAttribute('data-state') ?? '';
    if (w.runStates.at(-1) !== state) w.runStates.push(state);
  });
  w.runWatch.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
  w.runStates.push(document.querySelector('[data-testid="run-status"]')?.getAttribute('data-state') ?? '');
})()`;

export async function watchRuns(page: Page): Promise<void> {
  await page.evaluate(WATCH_RUNS);
}

export function runStates(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { runStates: string[] }).runStates);
}

/** Waits for a run that started after `watchRuns` to end; its final state. */
export async function nextRunEnds(page: Page): Promise<string> {
  await page.waitForFunction(() => {
    const states = (window as unknown as { runStates: string[] }).runStates;
    return states.includes('running') && ['success', 'failed'].includes(states.at(-1)!);
  }, undefined, { timeout: RUN_TIMEOUT }).catch(async (e: unknown) => {
    // Say what the page shows, so that a run that never started can be told from one that never ended.
    const badge = await page.getByTestId('run-status').innerText().catch(() => '(no run badge)');
    const main = await page.locator('main').innerText().catch(() => '(no main)');
    assert.fail(`no run ended: ${String(e)}\nbadge states seen: ${JSON.stringify(await runStates(page))}; badge: ${badge}\npage: ${main.slice(0, 2000)}`);
  });
  return (await runStates(page)).at(-1)!;
}

/** The visible error whose text matches, once it is shown. */
export async function errorMatching(page: Page, pattern: RegExp): Promise<string> {
  const error = page.getByTestId('error').filter({ hasText: pattern }).first();
  await error.waitFor({ timeout: 60_000 }).catch(async () => {
    assert.fail(`no message matching ${pattern}; shown: ${(await page.getByTestId('error').allInnerTexts()).join(' / ') || '(none)'}`);
  });
  const text = await error.innerText();
  assert.doesNotMatch(text, /\n\s+at |unexpected error|undefined/i, `a plain message, not a stack trace: ${text}`);
  return text;
}

export async function shownKpis(page: Page): Promise<Record<string, number>> {
  await nav(page, 'Run');
  return readKpis(page);
}

/** Runs SQL in the console; the first result row by column name (aliases are unique per call, so a new result is recognised). */
export async function sqlRow(page: Page, sql: string, lastColumn: string): Promise<Record<string, string>> {
  await nav(page, 'Console');
  await page.getByTestId('sql-editor').waitFor({ timeout: 30_000 });
  await page.getByTestId('sql-editor').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(sql);
  await page.keyboard.press('Escape');
  await page.keyboard.press('ControlOrMeta+Enter');
  const result = page.getByTestId('sql-result');
  await result.locator('[role="columnheader"]', { hasText: lastColumn }).first().waitFor({ timeout: 60_000 });
  const names = (await result.locator('[role="columnheader"]').allInnerTexts()).map((t) => t.replace(/[▲▼]/g, '').trim());
  const cells = await result.locator('.body [role="row"]').first().locator('[role="gridcell"]').allInnerTexts();
  return Object.fromEntries(names.slice(1).map((n, i) => [n, cells[i]]));
}
