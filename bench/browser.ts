/**
 * The pipeline through the real UI in headless Chromium, beside native DuckDB in the
 * same run: the built app is served locally, the six generated files go into the
 * file input, and the clock stops when the run status says success. Also the time
 * from a cold load (empty browser profile) to the engine being ready.
 *
 *   npm run build && tsx bench/browser.ts [--scales 1,10,100] [--runs 3]
 *
 * Prints one table; the figures in bench/README.md come from it.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import { chromium, type Browser } from 'playwright-core';
import { serveStatic, STRICT_CSP } from '../tests/e2e/server.ts';
import { dataDir, RESULT_PREFIX, type OneResult } from './run-one.ts';

const run = promisify(execFile);
const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run',
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const seconds = (ms: number) => (ms / 1000).toFixed(2);

async function ensureData(scale: string): Promise<string[]> {
  const dir = dataDir(scale);
  if (!existsSync(path.join(dir, 'source_crm', 'sales_details.csv'))) {
    console.error(`generating scale ${scale} into ${dir} ...`);
    await run('npx', ['tsx', 'src/cli/generate.ts', '--scale', scale, '--out', dir], { cwd: repo, maxBuffer: 1 << 24 });
  }
  return ['source_crm', 'source_erp'].flatMap((sub) => readdirSync(path.join(dir, sub)).map((f) => path.join(dir, sub, f)));
}

/** Cold load: a fresh profile, navigation to the engine badge saying ready. */
async function coldStart(browser: Browser, origin: string): Promise<number> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const started = performance.now();
  await page.goto(`${origin}/index.html`);
  await page.locator('[data-testid="engine-status"][data-state="ready"]').waitFor({ timeout: 120_000 });
  const ms = performance.now() - started;
  await context.close();
  return ms;
}

/** File input to run-status=success, through the UI. */
async function uiRun(browser: Browser, origin: string, files: string[]): Promise<{ ms: number; state: string; error?: string }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(`${origin}/index.html`);
    await page.locator('[data-testid="engine-status"][data-state="ready"]').waitFor({ timeout: 120_000 });
    const started = performance.now();
    await page.getByTestId('source-files').setInputFiles(files);
    await page.locator('[data-testid="run-status"][data-state="running"]').waitFor({ timeout: 600_000 });
    await page.locator('[data-testid="run-status"][data-state="success"], [data-testid="run-status"][data-state="failed"]').waitFor({ timeout: 1_800_000 });
    const ms = performance.now() - started;
    const state = (await page.getByTestId('run-status').getAttribute('data-state')) ?? '?';
    const error = state === 'success' ? undefined : await page.getByTestId('error').first().innerText().catch(() => undefined);
    return { ms, state, error };
  } catch (e) {
    return { ms: Number.NaN, state: 'crashed', error: e instanceof Error ? e.message.split('\n')[0] : String(e) };
  } finally {
    await context.close();
  }
}

/** Native DuckDB (one thread), the same models and runner, in a child process. */
async function native(scale: string): Promise<OneResult['runs'][number] | undefined> {
  const { stdout } = await run('npx', ['tsx', 'bench/run-one.ts', '--engine', 'native', '--scale', scale], {
    cwd: repo, maxBuffer: 1 << 26, timeout: 1_800_000,
  });
  const line = stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
  return line ? (JSON.parse(line.slice(RESULT_PREFIX.length)) as OneResult).runs[0] : undefined;
}

async function main() {
  const { values } = parseArgs({ options: { scales: { type: 'string', default: '1,10,100' }, runs: { type: 'string', default: '3' } } });
  const scales = values.scales!.split(',');
  const runs = Number(values.runs);
  if (!existsSync(path.join(repo, 'dist', 'index.html'))) throw new Error('build the app first: npm run build');
  const server = await serveStatic(path.join(repo, 'dist'), { 'Content-Security-Policy': STRICT_CSP });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  try {
    const cold: number[] = [];
    for (let i = 0; i < runs; i++) cold.push(await coldStart(browser, server.origin));
    console.log(`cold load to engine ready: median ${seconds(median(cold))} s, worst ${seconds(Math.max(...cold))} s (${runs} loads)`);
    console.log('\nscale | browser (UI) s | native 1 thread s | ratio | browser state');
    console.log('----- | -------------- | ----------------- | ----- | -------------');
    for (const scale of scales) {
      const files = await ensureData(scale);
      const n = scale === '100' ? 1 : runs;
      const ui: { ms: number; state: string; error?: string }[] = [];
      for (let i = 0; i < n; i++) ui.push(await uiRun(browser, server.origin, files));
      const nat = await native(scale);
      const ok = ui.filter((r) => r.state === 'success').map((r) => r.ms);
      const browserMs = ok.length ? median(ok) : Number.NaN;
      const ratio = nat && ok.length ? (browserMs / nat.totalMs).toFixed(2) : '–';
      const state = ui.every((r) => r.state === 'success') ? `success (${n} runs, median)` : ui.map((r) => `${r.state}${r.error ? `: ${r.error}` : ''}`).join('; ');
      console.log(`${scale} | ${ok.length ? seconds(browserMs) : '–'} | ${nat ? seconds(nat.totalMs) : '–'} | ${ratio} | ${state}`);
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

await main();
