/**
 * Save and restore through the app in headless Chromium, per scale: the run goes through
 * the real UI once (files into the file input), its results are saved to IndexedDB (a
 * profile on disk, as a user's), then the Dashboards page is reloaded N times and each
 * load is timed in the page's own clock; after each load the KPIs and every saved table's
 * row count are compared with those the run produced.
 *
 *   save     the worker writes the run's tables to IndexedDB (inside the run, before "success")
 *   engine   navigation -> DuckDB-WASM started (the wasm comes from the service worker's cache)
 *   tables   the worker reads the saved tables from IndexedDB into a fresh catalog
 *   restore  engine started -> the page has the restored results (store checks, tables, KPIs, table list)
 *   kpis     the KPI cards show the saved figures
 *   chart    the first dashboard chart is drawn ([data-testid^="chart-"][data-state=ready])
 *   live     the engine's own answer replaced what was painted from the store
 *
 *   npm run build && tsx bench/restore.ts [--scales real,1,10,100,143] [--runs 3] [--data /work/data] [--dist dist]
 *
 * `--data` holds scaleN/ folders (made by `npm run generate` if missing; default bench/.data).
 * Scale 270 (1,580 MB) is within the size guard in a browser that holds no results yet (src/pipeline/size-guard.ts).
 * `real` is the real export (../shared/datasets/retail-dw).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { chromium, type Page } from 'playwright-core';
import { serveStatic, STRICT_CSP } from '../tests/e2e/server.ts';
import { CHROMIUM_LAUNCH } from './browser.ts';

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const SAVED_LAYERS = ['rejects.', 'gold.', 'kpi.', 'segmentation.'];

interface LoadTimes { engine: number; tables: number; restore: number; kpis: number; chart?: number; live?: number; same: boolean }

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const seconds = (ms: number | undefined) => (ms === undefined || Number.isNaN(ms) ? '—' : (ms / 1000).toFixed(2));
const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** The generated sample at this scale (made once into <data>/scaleN). */
async function ensureData(root: string, scale: string): Promise<string[]> {
  const dir = scale === 'real' ? path.resolve(repo, '../shared/datasets/retail-dw') : path.join(root, `scale${scale}`);
  if (scale !== 'real' && !existsSync(path.join(dir, 'source_crm', 'sales_details.csv'))) {
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

/** What must survive a reload: the KPI cards' raw values and the row count of every saved table. */
async function figures(page: Page): Promise<string> {
  // The Tables page shows the KPI cards unfiltered, and every table with its row count.
  await page.evaluate(() => (location.hash = '#/tables'));
  await page.locator('[data-testid="table-gold.fact_sales"]').waitFor({ timeout: 60_000 });
  await page.locator('[data-testid="kpi-total_sales"][data-value]').waitFor({ timeout: 60_000 });
  const kpis = await page.locator('[data-testid^="kpi-"][data-value]').evaluateAll((cards) => cards.map((c) => `${c.getAttribute('data-testid')}=${c.getAttribute('data-value')}`));
  const tables = await page.locator('nav[aria-label="Tables by schema"] button').evaluateAll((buttons) => buttons.map((b) => `${b.getAttribute('data-testid')}=${b.textContent?.replace(/\D/g, '')}`));
  return [...new Set(kpis)].sort().concat(tables.filter((t) => SAVED_LAYERS.some((l) => t.startsWith(`table-${l}`))).sort()).join('\n');
}

async function timedReload(page: Page, expected: string): Promise<LoadTimes> {
  await page.evaluate(() => history.replaceState(null, '', '#/dashboards'));
  await page.reload();
  await page.locator('[data-testid="kpi-total_sales"][data-value]').first().waitFor({ timeout: 1_800_000 });
  await page.locator('[data-testid^="chart-"][data-state="ready"]').first().waitFor({ timeout: 600_000 }).catch(() => undefined);
  await page.locator('[data-testid="dashboard"][data-state="ready"][data-query-ms]').waitFor({ timeout: 600_000 }).catch(() => undefined);
  // No helper functions inside: the page gets this function's source as is.
  const times = await page.evaluate(() => {
    const seen = (window as unknown as { __restoreTimes: { kpis?: number; chart?: number; live?: number } }).__restoreTimes;
    const engine = performance.getEntriesByName('workbench:engine-started')[0]?.startTime ?? Number.NaN;
    const mark = performance.getEntriesByName('workbench:results-restored')[0] as PerformanceMark | undefined;
    const tables = (mark?.detail as { tablesMs?: number } | null)?.tablesMs ?? Number.NaN;
    return { engine, tables, restore: (mark?.startTime ?? Number.NaN) - engine, kpis: seen.kpis ?? Number.NaN, chart: seen.chart, live: seen.live };
  });
  const same = (await figures(page)) === expected;
  return { ...times, same };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: {
    scales: { type: 'string', default: '1,10' }, runs: { type: 'string', default: '3' }, dist: { type: 'string', default: 'dist' },
    data: { type: 'string', default: path.join(repo, 'bench', '.data') },
  } });
  const dist = path.resolve(repo, values.dist!);
  if (!existsSync(path.join(dist, 'sw.js'))) throw new Error(`${dist} has no built app: run \`npm run build\` first`);
  const server = await serveStatic(dist, { 'Content-Security-Policy': STRICT_CSP });
  const rows: string[][] = [];
  try {
    for (const scale of values.scales!.split(',')) {
      const files = await ensureData(values.data!, scale);
      const inputBytes = files.reduce((s, f) => s + statSync(f).size, 0);
      const profile = mkdtempSync(path.join(tmpdir(), 'restore-bench-'));
      const context = await chromium.launchPersistentContext(profile, CHROMIUM_LAUNCH);
      try {
        await context.addInitScript(watchFirstPaint);
        const page = context.pages()[0] ?? await context.newPage();
        await page.goto(`${server.origin}/index.html`);
        await page.locator('[data-testid="engine-status"][data-state="ready"]').waitFor({ timeout: 120_000 });
        const started = performance.now();
        await page.getByTestId('source-files').setInputFiles(files);
        await page.locator('[data-testid="run-status"][data-state="running"]').waitFor({ timeout: 600_000 });
        await page.locator('[data-testid="run-status"]:is([data-state="success"], [data-state="failed"])').waitFor({ timeout: 3_600_000 });
        if ((await page.getByTestId('run-status').getAttribute('data-state')) !== 'success') throw new Error(`the scale ${scale} run failed`);
        const runMs = performance.now() - started;
        // The page marks how the save went (builds before this mark: the banner is the only sign).
        await page.waitForFunction(() => performance.getEntriesByName('workbench:results-saved').length > 0, null, { timeout: 10_000 }).catch(() => undefined);
        const save = await page.evaluate(() => (performance.getEntriesByName('workbench:results-saved')[0] as PerformanceMark | undefined)?.detail as { saved: boolean; ms?: number } | undefined);
        if (save?.saved === false || (await page.getByTestId('save-notice').count()) > 0) {
          throw new Error(`the scale ${scale} results were not saved: ${await page.getByTestId('save-notice').innerText()}`);
        }
        const saved = await page.evaluate(() => new Promise<number>((resolve) => {
          const open = indexedDB.open('retail-workbench');
          open.onsuccess = () => {
            const get = open.result.transaction('store').objectStore('store').get('meta/current');
            get.onsuccess = () => resolve((get.result as { tables: { bytes: number }[] }).tables.reduce((s, t) => s + t.bytes, 0));
          };
        }));
        const onDisk = await page.evaluate(async () => (await navigator.storage.estimate() as { usageDetails?: { indexedDB?: number } }).usageDetails?.indexedDB ?? 0);
        const expected = await figures(page);
        const loads: LoadTimes[] = [];
        for (let i = 0; i < Number(values.runs); i++) loads.push(await timedReload(page, expected));
        const pick = (f: (l: LoadTimes) => number | undefined) => median(loads.map(f).filter((x): x is number => x !== undefined && !Number.isNaN(x)));
        rows.push([scale, megabytes(inputBytes), seconds(runMs), seconds(save?.ms), megabytes(saved), megabytes(onDisk), seconds(pick((l) => l.engine)),
          seconds(pick((l) => l.tables)), seconds(pick((l) => l.restore)), seconds(pick((l) => l.kpis)), seconds(pick((l) => l.chart)), seconds(pick((l) => l.live)),
          loads.every((l) => l.same) ? 'yes' : 'NO', loads.map((l) => seconds(l.chart ?? l.kpis)).join(' ')]);
        console.error(`scale ${scale}: done (${rows.at(-1)!.join(' | ')})`);
      } finally {
        await context.close();
        rmSync(profile, { recursive: true, force: true });
      }
    }
  } finally {
    await server.close();
  }
  const header = ['scale', 'input', 'run (s)', 'save (s)', 'saved (Arrow)', 'IndexedDB', 'engine (s)', 'tables (s)', 'restore (s)', 'KPI cards (s)', 'first chart (s)', 'engine answer (s)', 'same KPIs+rows', 'each load (s)'];
  console.log(`\nSave, then reload of the Dashboards page to the saved results on screen (median of ${values.runs}), Chromium headless\n`);
  console.log(`| ${header.join(' | ')} |\n|${header.map(() => ' --- ').join('|')}|`);
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
}

await main();
