/**
 * Dashboard speed in the real UI: the built app in headless Chromium runs generated
 * data, then a series of filter clicks (bars, dropdowns, chips) is applied on each
 * measured page. The clock starts at the click or dropdown change (a capture listener in the page) and
 * stops when every chart of the page has data-state=ready again.
 *
 *   npx vite build && npx tsx bench/dashboards.ts [--scales 1,100] [--rounds 3] [--run-timeout-min 30]
 *
 * Data comes from bench/.data/scaleN (made with src/cli/generate.ts when missing).
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { chromium, type Page } from 'playwright-core';
import { serveStatic, STRICT_CSP } from '../tests/e2e/server.ts';

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run',
];

const { values: opts } = parseArgs({
  options: {
    scales: { type: 'string', default: '1,100' },
    rounds: { type: 'string', default: '3' },
    'run-timeout-min': { type: 'string', default: '30' },
  },
});

async function dataFiles(scale: string): Promise<string[]> {
  const dir = path.join(repo, 'bench/.data', `scale${scale}`);
  if (!existsSync(path.join(dir, 'source_crm', 'sales_details.csv'))) {
    console.error(`generating scale ${scale} into ${dir} ...`);
    await promisify(execFile)('npx', ['tsx', 'src/cli/generate.ts', '--scale', scale, '--out', dir], { cwd: repo, maxBuffer: 1 << 24 });
  }
  return ['source_crm', 'source_erp'].flatMap((sub) => readdirSync(path.join(dir, sub)).map((f) => path.join(dir, sub, f)));
}

/**
 * In the page: the time of the last click, and `benchArm()` → `benchDone`, a promise for
 * "every chart ready again". Plain text, so the TypeScript loader adds no helpers to it.
 */
const PROBE = `(() => {
  const allReady = () => {
    const charts = [...document.querySelectorAll('[data-testid^="chart-"][data-state]')];
    return document.querySelector('[data-testid="dashboard"]')?.getAttribute('data-state') === 'ready'
      && charts.length > 0 && charts.every((c) => c.getAttribute('data-state') === 'ready');
  };
  // A dropdown choice fires change, not click: both start the clock.
  for (const type of ['click', 'change']) document.addEventListener(type, () => { window.benchClickAt = performance.now(); }, true);
  window.benchArm = () => {
    window.benchDone = new Promise((resolve) => {
      let sawLoading = false;
      const observer = new MutationObserver(() => {
        if (!allReady()) sawLoading = true;
        else if (sawLoading) { observer.disconnect(); resolve(performance.now() - window.benchClickAt); }
      });
      observer.observe(document.body, { attributes: true, childList: true, subtree: true });
    });
  };
})()`;

/** One filter click, timed from the click to every chart drawn again. */
async function timedClick(page: Page, click: () => Promise<void>): Promise<number> {
  await page.evaluate('window.benchArm()');
  await click();
  return page.evaluate('window.benchDone') as Promise<number>;
}

async function waitAllReady(page: Page, timeout: number): Promise<void> {
  await page.waitForFunction(() => document.querySelector('[data-testid="dashboard"]')?.getAttribute('data-state') === 'ready'
    && [...document.querySelectorAll('[data-testid^="chart-"][data-state]')].every((c) => c.getAttribute('data-state') === 'ready'), null, { timeout });
}

const bar = (page: Page, chart: string, n: number) => () => page.getByTestId(`chart-${chart}`).locator('path[aria-roledescription="bar"]').nth(n).click();
const select = (page: Page, label: string, value: string) => async () => {
  await page.getByLabel(label, { exact: true }).selectOption(value);
};
const button = (page: Page, name: string) => () => page.getByRole('button', { name, exact: true }).click();

/** The clicks of one round on one page, as [label, action]. */
function clicks(page: Page, dashboard: string): [string, () => Promise<void>][] {
  const clear = button(page, 'Clear all filters');
  if (dashboard === 'executive') {
    return [
      ['category bar', bar(page, 'sales-by-category', 0)],
      ['country bar', bar(page, 'sales-by-country', 1)],
      ['subcategory bar', bar(page, 'sales-by-subcategory', 0)],
      ['gender dropdown', select(page, 'Gender', 'Female')],
      ['clear all', clear],
    ];
  }
  return [
    ['gender slice', () => page.getByTestId('chart-customers-by-gender').locator('.mark-arc path').first().click()],
    ['country bar', bar(page, 'customers-by-country', 0)],
    ['segment dropdown', select(page, 'Value segment', 'High')],
    ['clear all', clear],
  ];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

interface Timing { label: string; ms: number; engineMs: number }

function summary(times: Timing[]): string {
  const worst = times.reduce((a, b) => (b.ms > a.ms ? b : a));
  return `${times.length} clicks, click to all charts drawn: median ${median(times.map((t) => t.ms)).toFixed(0)} ms, ` +
    `worst ${worst.ms.toFixed(0)} ms (${worst.label}); engine part: median ${median(times.map((t) => t.engineMs)).toFixed(0)} ms`;
}

async function benchScale(scale: string, rounds: number, runTimeoutMs: number) {
  const files = await dataFiles(scale);
  const server = await serveStatic(path.join(repo, 'dist'), { 'Content-Security-Policy': STRICT_CSP });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  try {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 720 } })).newPage();
    await page.goto(`${server.origin}/index.html`);
    await page.locator('[data-testid="engine-status"][data-state="ready"]').waitFor({ timeout: 120_000 });
    const runStarted = performance.now();
    await page.getByTestId('source-files').setInputFiles(files);
    await page.locator('[data-testid="run-status"][data-state="success"], [data-testid="run-status"][data-state="failed"]').waitFor({ timeout: runTimeoutMs });
    const runMs = performance.now() - runStarted;
    if ((await page.getByTestId('run-status').getAttribute('data-state')) !== 'success') {
      const why = (await page.getByTestId('error').count()) ? await page.getByTestId('error').first().innerText() : '(no message)';
      console.log(`scale ${scale}: the run failed in the browser after ${(runMs / 1000).toFixed(1)} s: ${why.replace(/\s+/g, ' ')}`);
      return;
    }
    console.log(`scale ${scale}: run ${(runMs / 1000).toFixed(1)} s`);
    await page.evaluate(PROBE);
    for (const dashboard of ['executive', 'customers']) {
      const opened = performance.now();
      await page.goto(`${server.origin}/index.html#/dashboards/${dashboard}`);
      await waitAllReady(page, runTimeoutMs);
      console.log(`  ${dashboard}: first view ${((performance.now() - opened) / 1000).toFixed(2)} s (includes building the dashboard base once per run)`);
      // Round 1 meets every filter state for the first time; later rounds revisit them
      // (remembered answers: only drawing is left).
      const cold: Timing[] = [];
      const warm: Timing[] = [];
      for (let r = 0; r < rounds; r++) {
        for (const [label, click] of clicks(page, dashboard)) {
          const ms = await timedClick(page, click);
          const engineMs = Number(await page.getByTestId('dashboard').getAttribute('data-query-ms'));
          (r === 0 ? cold : warm).push({ label, ms, engineMs });
        }
      }
      console.log(`  ${dashboard}: first visit of a filter state: ${summary(cold)}`);
      if (warm.length) console.log(`  ${dashboard}: revisited filter states:     ${summary(warm)}`);
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

if (!existsSync(path.join(repo, 'dist/index.html'))) {
  console.error('dist/index.html is missing: run `npx vite build` first');
  process.exit(1);
}
for (const scale of opts.scales.split(',')) {
  await benchScale(scale.trim(), Number(opts.rounds), Number(opts['run-timeout-min']) * 60_000);
}
