/**
 * Restore time: from navigation (a reload of the Dashboards page) to the last good
 * run's figures on screen, read back from IndexedDB without running anything, for
 * each data set (`real` is ../shared/datasets/retail-dw; a number N is /work/data/scaleN
 * when present, else bench/.data/scaleN). The run itself goes through the real UI once
 * per data set; then the page is reloaded N times and each load is timed in the page's
 * own clock:
 *
 *   engine   navigation -> DuckDB-WASM started (the wasm comes from the service worker's cache)
 *   tables   the worker reads the saved tables from IndexedDB into a fresh catalog
 *   restore  engine started -> the page has the restored results (store checks, tables, KPIs, table list)
 *   kpis     the KPI cards show the saved figures
 *   chart    the first dashboard chart is drawn ([data-testid^="chart-"][data-state=ready])
 *   live     the engine's own answer replaced what was painted from the store
 *
 *   npm run build && tsx bench/restore.ts [--data real,10] [--runs 3] [--dist dist]
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

interface LoadTimes { engine: number; tables: number; restore: number; kpis: number; chart?: number; live?: number }

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const seconds = (ms: number | undefined) => (ms === undefined || Number.isNaN(ms) ? '—' : (ms / 1000).toFixed(2));

/** The six files of a data set name: the real export, or generated data at a scale (made once). */
async function ensureData(scale: string): Promise<string[]> {
  let dir = path.join(repo, 'bench', '.data', `scale${scale}`);
  if (scale === 'real') dir = path.resolve(repo, '../shared/datasets/retail-dw');
  else if (existsSync(path.join('/work/data', `scale${scale}`, 'source_crm', 'sales_details.csv'))) dir = path.join('/work/data', `scale${scale}`);
  else if (!existsSync(path.join(dir, 'source_crm', 'sales_details.csv'))) {
    console.error(`generating scale ${scale} into ${dir} ...`);
    await promisify(execFile)('npx', ['tsx', 'src/cli/generate.ts', '--scale', scale, '--out', dir], { cwd: repo, maxBuffer: 1 << 24 });
  }
  return ['source_crm', 'source_erp'].flatMap((sub) => readdirSync(path.join(dir, sub)).map((f) => path.join(dir, sub, f)));
}

/** Notes, in the page's clock, when the KPI cards and the first chart first show, and when the engine's answer is on screen. */
function watchFirstPaint(): void {
  const seen: { kpis?: number; chart?: number; live?: number } = {};
  (window as unknown as { __restoreTimes: typeof seen }).__restoreTimes = seen;
  new MutationObserver(() => {
    seen.kpis ??= document.querySelector('[data-testid="kpi-total_sales"][data-value]') ? performance.now() : undefined;
    seen.chart ??= document.querySelector('[data-testid^="chart-"][data-state="ready"]') ? performance.now() : undefined;
    seen.live ??= document.querySelector('[data-testid="dashboard"][data-state="ready"][data-query-ms]') ? performance.now() : undefined;
  }).observe(document, { subtree: true, childList: true, attributes: true });
}

async function timedReload(page: Page): Promise<LoadTimes> {
  await page.evaluate(() => history.replaceState(null, '', '#/dashboards'));
  await page.reload();
  await page.locator('[data-testid="kpi-total_sales"][data-value]').first().waitFor({ timeout: 600_000 });
  await page.locator('[data-testid^="chart-"][data-state="ready"]').first().waitFor({ timeout: 60_000 }).catch(() => undefined);
  await page.locator('[data-testid="dashboard"][data-state="ready"][data-query-ms]').waitFor({ timeout: 600_000 }).catch(() => undefined);
  // No helper functions inside: the page gets this function's source as is.
  return page.evaluate(() => {
    const seen = (window as unknown as { __restoreTimes: { kpis?: number; chart?: number; live?: number } }).__restoreTimes;
    const engine = performance.getEntriesByName('workbench:engine-started')[0]?.startTime ?? Number.NaN;
    const mark = performance.getEntriesByName('workbench:results-restored')[0] as PerformanceMark | undefined;
    const tables = (mark?.detail as { tablesMs?: number } | null)?.tablesMs ?? Number.NaN;
    return { engine, tables, restore: (mark?.startTime ?? Number.NaN) - engine, kpis: seen.kpis ?? Number.NaN, chart: seen.chart, live: seen.live };
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { data: { type: 'string', default: 'real,10' }, runs: { type: 'string', default: '3' }, dist: { type: 'string', default: 'dist' } } });
  const dist = path.resolve(repo, values.dist!);
  if (!existsSync(path.join(dist, 'sw.js'))) throw new Error(`${dist} has no built app: run \`npm run build\` first`);
  const server = await serveStatic(dist, { 'Content-Security-Policy': STRICT_CSP });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  const rows: string[][] = [];
  try {
    for (const scale of values.data!.split(',')) {
      const files = await ensureData(scale);
      const context = await browser.newContext();
      await context.addInitScript(watchFirstPaint);
      const page = await context.newPage();
      await page.goto(`${server.origin}/index.html`);
      await page.locator('[data-testid="engine-status"][data-state="ready"]').waitFor({ timeout: 120_000 });
      const started = performance.now();
      await page.getByTestId('source-files').setInputFiles(files);
      await page.locator('[data-testid="run-status"][data-state="running"]').waitFor({ timeout: 600_000 });
      await page.locator('[data-testid="run-status"]:is([data-state="success"], [data-state="failed"])').waitFor({ timeout: 3_600_000 });
      if ((await page.getByTestId('run-status').getAttribute('data-state')) !== 'success') throw new Error(`the scale ${scale} run failed`);
      const runMs = performance.now() - started;
      const stored = await page.evaluate(async () => (await navigator.storage.estimate() as { usageDetails?: { indexedDB?: number } }).usageDetails?.indexedDB ?? 0);
      const loads: LoadTimes[] = [];
      for (let i = 0; i < Number(values.runs); i++) loads.push(await timedReload(page));
      await context.close();
      const pick = (f: (l: LoadTimes) => number | undefined) => median(loads.map(f).filter((x): x is number => x !== undefined && !Number.isNaN(x)));
      rows.push([scale, seconds(runMs), `${(stored / 1e6).toFixed(1)} MB`, seconds(pick((l) => l.engine)), seconds(pick((l) => l.tables)), seconds(pick((l) => l.restore)),
        seconds(pick((l) => l.kpis)), seconds(pick((l) => l.chart)), seconds(pick((l) => l.live)), loads.map((l) => seconds(l.chart ?? l.kpis)).join(' ')]);
      console.error(`scale ${scale}: done`);
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const header = ['data', 'run (s)', 'IndexedDB', 'engine (s)', 'tables (s)', 'restore (s)', 'KPI cards (s)', 'first chart (s)', 'engine answer (s)', 'each load (s)'];
  console.log(`\nReload of the Dashboards page to the saved results on screen (median of ${values.runs}), Chromium headless\n`);
  for (const row of [header, ...rows]) console.log(row.map((c, i) => (i === 0 ? c.padEnd(6) : c.padStart(i === header.length - 1 ? 24 : 18))).join(''));
}

await main();
