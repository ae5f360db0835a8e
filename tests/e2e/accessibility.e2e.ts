/**
 * Accessibility: axe-core (WCAG 2.1 A and AA rules) over every page of the app — Data,
 * Run, each dashboard, Tables, History, Console, Models — with results, in the light and
 * the dark theme. A serious or critical finding fails the test, listed with its nodes.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { runError, startHarness, waitForRunState, type AppPage, type Harness } from './harness.ts';

/** axe-core's own build, run in the page through the test driver (the app's CSP allows no inline script). */
const AXE_SOURCE = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Finding { id: string; impact: string; help: string; nodes: string[] }

/** Each page with what says it is drawn: a page is checked only once its content is there. */
const PAGES: { hash: string; ready: string }[] = [
  { hash: '#/data', ready: '[data-testid="load-sample"]' },
  { hash: '#/run', ready: '[data-testid="task-export_for_powerbi"][data-state="success"]' },
  ...['executive', 'customers', 'products', 'segments', 'quality'].map((id) => ({
    hash: `#/dashboards/${id}`,
    ready: `[data-testid="dashboard"][data-page="${id}"][data-state="ready"]`,
  })),
  { hash: '#/tables', ready: '[data-testid="table-gold.fact_sales"]' },
  { hash: '#/history', ready: '[data-testid="history-run"]' },
  { hash: '#/console', ready: '[data-testid="sql-editor"]' },
  { hash: '#/models', ready: '[data-testid="model-editor"]' },
];

let harness: Harness;
let app: AppPage;

before(async () => {
  harness = await startHarness();
  app = await harness.open();
  const { page } = app;
  await page.getByTestId('load-sample').click();
  assert.equal(await waitForRunState(page, ['success', 'failed']), 'success', await runError(page));
});

after(async () => {
  await harness?.stop();
});

/** Waits until every chart on the page is drawn (charts change colours and sizes while they draw). */
async function chartsDrawn(page: Page): Promise<void> {
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid^="chart-"][data-state]')]
    .every((c) => c.getAttribute('data-state') === 'ready'), null, { timeout: 60_000 });
}

/** Runs axe-core on the page as it is: the WCAG 2.0/2.1 A and AA rules. */
async function axe(page: Page): Promise<Finding[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: unknown[]; failureSummary: string }[] }[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => `${JSON.stringify(n.target)}: ${n.failureSummary.replace(/\s+/g, ' ')}`),
    }));
  });
}

for (const scheme of ['light', 'dark'] as const) {
  test(`every page passes axe-core (WCAG 2.1 A/AA) in the ${scheme} theme`, { timeout: 240_000 }, async () => {
    const { page } = app;
    await page.emulateMedia({ colorScheme: scheme });
    await page.waitForFunction((s) => document.documentElement.dataset.theme === s, scheme);
    const found: string[] = [];
    for (const { hash, ready } of PAGES) {
      await page.evaluate((h) => (location.hash = h), hash);
      await page.locator(ready).first().waitFor({ timeout: 60_000 });
      await chartsDrawn(page);
      for (const f of await axe(page)) {
        console.log(`${scheme} ${hash}: ${f.impact} ${f.id} — ${f.help}\n    ${f.nodes.join('\n    ')}`);
        if (f.impact === 'serious' || f.impact === 'critical') found.push(`${hash} ${f.impact} ${f.id}: ${f.help}\n    ${f.nodes.join('\n    ')}`);
      }
    }
    assert.deepEqual(found, [], `serious or critical axe-core findings in the ${scheme} theme:\n${found.join('\n')}`);
  });
}

test('the page only talked to its own origin, under a strict CSP', async () => {
  await harness.close(app);
});
