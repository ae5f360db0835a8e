/**
 * The browser half of bench/exports.ts: the built app in headless Chromium. The
 * generated files go into the Data page, the run finishes, then each download button
 * is clicked and timed until Chromium receives the file; the renderer's memory (the
 * page and its engine worker live in it) is sampled from /proc meanwhile.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { serveStatic, STRICT_CSP } from '../tests/e2e/server.ts';
import { dataDir } from './run-one.ts';

export interface BrowserMeasure {
  name: string;
  ms: number;
  bytes: number;
  rssBefore: number;
  peakRss: number;
}

export interface BrowserResult {
  scale: string;
  runMs: number;
  factRows: number;
  error?: string;
  measures: BrowserMeasure[];
}

const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist');
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

async function filesOf(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const sub of await readdir(dir)) for (const f of await readdir(path.join(dir, sub))) out.push(path.join(dir, sub, f));
  return out.sort();
}

/** RSS of the Chromium renderers started by this process (descendants), from /proc. */
async function rendererRss(): Promise<number> {
  const parents = new Map<number, number>();
  const renderers: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const [stat, cmd] = await Promise.all([
      readFile(`/proc/${entry}/stat`, 'utf8').catch(() => ''),
      readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => ''),
    ]);
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    parents.set(Number(entry), ppid);
    if (cmd.includes('--type=renderer')) renderers.push(Number(entry));
  }
  const mine = (pid: number) => {
    for (let p = pid; p > 1; p = parents.get(p) ?? 0) if (p === process.pid) return true;
    return false;
  };
  let total = 0;
  for (const pid of renderers.filter(mine)) {
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
    total += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
  }
  return total;
}

async function timedDownload(page: Page, name: string, testId: string): Promise<BrowserMeasure> {
  const rssBefore = await rendererRss();
  let peakRss = rssBefore;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      peakRss = Math.max(peakRss, await rendererRss());
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  const started = performance.now();
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 1_800_000 }), page.getByTestId(testId).click()]);
  const ms = performance.now() - started;
  sampling = false;
  await sampler;
  const file = await download.path();
  const bytes = (await stat(file)).size;
  await download.delete();
  console.log(`${name}: ${(ms / 1000).toFixed(2)} s, ${(bytes / 1e6).toFixed(1)} MB, renderer peak ${(peakRss / 2 ** 20).toFixed(0)} MiB`);
  return { name, ms, bytes, rssBefore, peakRss };
}

export async function browserExports(scale: string): Promise<BrowserResult> {
  const files = await filesOf(dataDir(scale));
  const server = await serveStatic(DIST, { 'Content-Security-Policy': STRICT_CSP });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: ARGS });
  try {
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(`${server.origin}/index.html`);
    await page.locator('[data-testid="engine-status"][data-state="ready"]').waitFor({ timeout: 120_000 });
    const started = performance.now();
    await page.locator('input[type=file][data-testid="source-files"]').setInputFiles(files);
    await page.locator('[data-testid="run-status"][data-state="success"], [data-testid="run-status"][data-state="failed"]').waitFor({ timeout: 3_600_000 });
    const runMs = performance.now() - started;
    if ((await page.getByTestId('run-status').getAttribute('data-state')) !== 'success') {
      const error = await page.getByTestId('error').first().innerText().catch(() => 'the run failed');
      return { scale, runMs, factRows: 0, error: error.replace(/\s+/g, ' '), measures: [] };
    }
    const measures: BrowserMeasure[] = [];
    await page.getByRole('link', { name: 'Tables', exact: true }).click();
    await page.getByTestId('table-gold.fact_sales').click();
    const rowsText = await page.locator('#preview-title').innerText();
    const factRows = Number(/([\d,]+) rows/.exec(rowsText)?.[1].replaceAll(',', '') ?? 0);
    measures.push(await timedDownload(page, 'fact_sales CSV (Tables page)', 'download-table-csv'));
    measures.push(await timedDownload(page, 'fact_sales Parquet (Tables page)', 'download-table-parquet'));
    measures.push(await timedDownload(page, 'package ZIP, Parquet', 'download-package'));
    await page.getByTestId('package-format-csv').check();
    measures.push(await timedDownload(page, 'package ZIP, CSV', 'download-package'));
    return { scale, runMs, factRows, measures };
  } finally {
    await browser.close();
    await server.close();
  }
}
