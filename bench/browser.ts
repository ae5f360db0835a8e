/**
 * The pipeline through the real UI in headless Chromium: the built app is served locally,
 * the six files go into the file input, and the clock stops when the run status says
 * success. CPU is that of Chromium's processes (children of this one) over the same span.
 * Used by `npm run bench -- --browser` (beside the floor, same invocation) and on its own:
 *
 *   npm run build && npx tsx bench/browser.ts [--scales 1,10,100] [--runs 3] [--dist <built app>]
 *        [--without-floor] [--again] [--on-disk] [--js-flags '<V8 flags>']
 *
 * which also prints the time from a cold load (empty browser profile) to the engine ready, and
 * how long saving the results to IndexedDB took inside the run (the page's `results-saved` mark)
 * and the run's tail: from the last task's end to `success` (the dashboards' aggregates and the save).
 * `--without-floor` leaves the floor out; `--again` runs the same files a second time in the same page
 * (beside the first run's results); `--on-disk` runs each page in a new profile on disk instead of an
 * off-the-record context (whose IndexedDB is in memory).
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { serveStatic, STRICT_CSP } from '../tests/e2e/server.ts';
import { dataFolder } from './compare-outputs.ts';
import { measureFloor, type Measurement } from './measure.ts';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run',
];
/** How every benchmark starts Chromium: Debian's (or CHROMIUM_PATH), headless, quiet. */
export const CHROMIUM_LAUNCH = { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS };

/** CHROMIUM_LAUNCH with V8 flags added (e.g. `--no-liftoff`), when given. */
export function chromiumLaunch(jsFlags?: string): typeof CHROMIUM_LAUNCH {
  return jsFlags ? { ...CHROMIUM_LAUNCH, args: [...CHROMIUM_ARGS, `--js-flags=${jsFlags}`] } : CHROMIUM_LAUNCH;
}
const CLOCK_TICKS = 100;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const seconds = (ms: number) => (ms / 1000).toFixed(2);

export function inputFiles(dir: string): string[] {
  return ['source_crm', 'source_erp'].flatMap((sub) => readdirSync(path.join(dir, sub)).map((f) => path.join(dir, sub, f)));
}

/** CPU ms of every live process descended from this one (Chromium's browser, GPU, renderers). */
async function descendantCpuMs(): Promise<number> {
  const parent = new Map<number, number>();
  const cpu = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields.length < 13) continue;
    parent.set(Number(entry), Number(fields[1]));
    cpu.set(Number(entry), ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS);
  }
  let total = 0;
  for (const [pid, ms] of cpu) {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) {
      if (p === process.pid) {
        total += ms;
        break;
      }
    }
  }
  return total;
}

export interface ServedBrowser {
  browser: Browser;
  /** How it was launched: a profile on disk (`--on-disk`) is launched the same way. */
  launch: typeof CHROMIUM_LAUNCH;
  origin: string;
  close(): Promise<void>;
}

export async function startBrowser(dist = path.join(repo, 'dist'), jsFlags?: string): Promise<ServedBrowser> {
  if (!existsSync(path.join(dist, 'index.html'))) throw new Error(`build the app first: npm run build (no ${dist}/index.html)`);
  const server = await serveStatic(dist, { 'Content-Security-Policy': STRICT_CSP });
  const launch = chromiumLaunch(jsFlags);
  const browser = await chromium.launch(launch);
  return {
    browser, launch, origin: server.origin,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}

/** Cold load: a fresh profile, navigation to the engine badge saying ready. */
export async function coldStart(b: ServedBrowser): Promise<number> {
  const context = await b.browser.newContext();
  const page = await context.newPage();
  const started = performance.now();
  await page.goto(`${b.origin}/index.html`);
  await page.locator('[data-testid="engine-status"][data-state="ready"]').waitFor({ timeout: 120_000 });
  const ms = performance.now() - started;
  await context.close();
  return ms;
}

/** The save's own time, from the mark the page sets once the run's results are in IndexedDB. */
async function saveMs(page: Page): Promise<number | undefined> {
  const mark = await page.waitForFunction(() => {
    const entry = performance.getEntriesByName('workbench:results-saved')[0] as PerformanceMark | undefined;
    return entry ? (entry.detail as { saved: boolean; ms?: number }) : undefined;
  }, undefined, { timeout: 60_000 });
  const detail = (await mark.jsonValue()) as { saved: boolean; ms?: number };
  return detail.saved ? detail.ms : undefined;
}

/** The engine's wasm heap as the engine badge reports it (it never shrinks: the run's peak, the cubes and the save included). */
async function heapBytes(page: Page): Promise<number | undefined> {
  const value = await page.getByTestId('engine-status').getAttribute('data-heap-bytes').catch(() => null);
  return value ? Number(value) : undefined;
}

/** From the last task's success to the run's, as the page showed them (see measureBrowser). */
async function tailMs(page: Page): Promise<number | undefined> {
  return page.evaluate(() => {
    const { tasksDoneAt, successAt } = window as unknown as { tasksDoneAt?: number; successAt?: number };
    return tasksDoneAt !== undefined && successAt !== undefined ? successAt - tasksDoneAt : undefined;
  });
}

/** Waits until the run under way ends; its state, and its error where it failed. */
async function runEnd(page: Page): Promise<{ state: string; error?: string }> {
  await page.locator('[data-testid="run-status"][data-state="running"]').waitFor({ timeout: 600_000 });
  await page.locator('[data-testid="run-status"][data-state="success"], [data-testid="run-status"][data-state="failed"]').waitFor({ timeout: 1_800_000 });
  const state = (await page.getByTestId('run-status').getAttribute('data-state')) ?? '?';
  if (state === 'success') return { state };
  return { state, error: await page.getByTestId('error').first().innerText().catch(() => state) };
}

/**
 * The same files once more in the same page: the engine holds the first run's results until the
 * second succeeds, so its heap is the most a tab needs for a run of this size (a reload that
 * restored the results, then a run, holds the same tables).
 */
async function runAgain(page: Page): Promise<NonNullable<Measurement['again']>> {
  const t0 = performance.now();
  // The files chosen are still there: the Data page's run button runs them again.
  await page.getByRole('link', { name: 'Data', exact: true }).click();
  await page.getByTestId('run-pipeline').click();
  const { state, error } = await runEnd(page);
  const totalMs = performance.now() - t0;
  return { ok: state === 'success', totalMs, wasmHeap: await heapBytes(page), error };
}

/**
 * A fresh context: an off-the-record one (storage in memory) by default; with `onDisk`, a new
 * profile in a temporary folder, so IndexedDB writes to disk as in a user's browser.
 */
async function freshContext(b: ServedBrowser, onDisk: boolean): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  if (!onDisk) {
    const context = await b.browser.newContext();
    return { context, close: () => context.close() };
  }
  const profile = mkdtempSync(path.join(os.tmpdir(), 'bench-profile-'));
  const context = await chromium.launchPersistentContext(profile, b.launch);
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** File input to run-status=success, through the UI, in a fresh context with the engine started. */
export async function measureBrowser(b: ServedBrowser, dir: string, run: number, again = false, onDisk = false): Promise<Measurement> {
  const { context, close } = await freshContext(b, onDisk);
  const page = await context.newPage();
  const load0 = os.loadavg()[0];
  const base = { kind: 'browser' as const, run, tasks: {}, steps: [] };
  const started = performance.now();
  try {
    await page.goto(`${b.origin}/index.html`);
    await page.locator('[data-testid="engine-status"][data-state="ready"]').waitFor({ timeout: 120_000 });
    // Page clock: when the last task shows success, and when the run does (the tail between is the aggregates and the save).
    // As source text: the transpiler would wrap a named function in a helper the page does not have.
    await page.evaluate(`(() => {
      const seen = (id) => document.querySelector('[data-testid="' + id + '"]')?.getAttribute('data-state') === 'success';
      new MutationObserver(() => {
        if (window.tasksDoneAt === undefined && seen('task-export_for_powerbi')) window.tasksDoneAt = performance.now();
        if (window.successAt === undefined && seen('run-status')) window.successAt = performance.now();
      }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
    })()`);
    const t0 = performance.now();
    const c0 = await descendantCpuMs();
    await page.getByTestId('source-files').setInputFiles(inputFiles(dir), { timeout: 600_000 });
    const { state, error } = await runEnd(page);
    const totalMs = performance.now() - t0;
    const cpuMs = (await descendantCpuMs()) - c0;
    const load: [number, number] = [load0, os.loadavg()[0]];
    const wasmHeap = await heapBytes(page);
    if (state === 'success') {
      const first = { ...base, ok: true, totalMs, cpuMs, saveMs: await saveMs(page), tailMs: await tailMs(page), processMs: performance.now() - started, load, wasmHeap };
      return again ? { ...first, again: await runAgain(page) } : first;
    }
    return { ...base, ok: false, error, processMs: performance.now() - started, load, wasmHeap };
  } catch (e) {
    const error = e instanceof Error ? e.message.split('\n')[0] : String(e);
    return { ...base, ok: false, error, processMs: performance.now() - started, load: [load0, os.loadavg()[0]] };
  } finally {
    await close();
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      scales: { type: 'string', default: '1,10,100' }, runs: { type: 'string', default: '3' }, dist: { type: 'string' },
      // For inputs larger than the floor's own time is worth (or to see only the browser's memory).
      'without-floor': { type: 'boolean', default: false },
      // Run each input a second time in the same page and print that run's heap (the previous results held).
      again: { type: 'boolean', default: false },
      // Each run in a new profile on disk instead of an off-the-record context (whose IndexedDB lives in memory).
      'on-disk': { type: 'boolean', default: false },
      // V8 flags for Chromium (e.g. --no-liftoff: every wasm function compiled optimised from the start).
      'js-flags': { type: 'string' },
    },
  });
  const runs = Number(values.runs);
  const b = await startBrowser(values.dist ? path.resolve(values.dist) : undefined, values['js-flags']);
  try {
    const cold: number[] = [];
    for (let i = 0; i < runs; i++) cold.push(await coldStart(b));
    console.log(`cold load to engine ready: median ${seconds(median(cold))} s, worst ${seconds(Math.max(...cold))} s (${runs} loads)`);
    console.log('\nscale | input MB | Chromium s (files in → success) | Chromium CPU s | after the last task s | of which saving s | floor s | ratio | peak wasm heap MiB | ÷ input bytes | state');
    console.log('----- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---');
    for (const scale of values.scales.split(',')) {
      const dir = dataFolder(scale);
      const ui: Measurement[] = [];
      const floor: Measurement[] = [];
      for (let i = 0; i < runs; i++) {
        if (!values['without-floor']) floor.push(await measureFloor(dir, i + 1, 1_800_000));
        ui.push(await measureBrowser(b, dir, i + 1, values.again, values['on-disk']));
      }
      const ok = ui.filter((r) => r.ok);
      const ms = ok.length ? median(ok.map((r) => r.totalMs!)) : Number.NaN;
      const cpu = ok.length ? median(ok.map((r) => r.cpuMs!)) : Number.NaN;
      const saves = ok.flatMap((r) => (r.saveMs === undefined ? [] : [r.saveMs]));
      const save = saves.length ? median(saves) : Number.NaN;
      const tails = ok.flatMap((r) => (r.tailMs === undefined ? [] : [r.tailMs]));
      const tail = tails.length ? median(tails) : Number.NaN;
      const floorOk = floor.filter((r) => r.ok).map((r) => r.totalMs!);
      const f = floorOk.length ? median(floorOk) : Number.NaN;
      // The largest heap of the runs, failed ones included: each run has a fresh page, so a fresh engine.
      const heaps = ui.flatMap((r) => (r.wasmHeap === undefined ? [] : [r.wasmHeap]));
      const heap = heaps.length ? Math.max(...heaps) : Number.NaN;
      const inputBytes = inputFiles(dir).reduce((sum, file) => sum + statSync(file).size, 0);
      const state = ui.every((r) => r.ok) ? `success (${runs} runs, median)` : ui.map((r) => r.error ?? 'success').join('; ');
      console.log(`${scale} | ${(inputBytes / 1e6).toFixed(1)} | ${seconds(ms)} | ${seconds(cpu)} | ${seconds(tail)} | ${seconds(save)} | ${seconds(f)} | ${(ms / f).toFixed(2)} | ${(heap / 2 ** 20).toFixed(0)} | ${(heap / inputBytes).toFixed(2)} | ${state}`);
      for (const r of ui.filter((m) => m.again)) {
        const a = r.again!;
        const heapText = a.wasmHeap === undefined ? '—' : `${(a.wasmHeap / 2 ** 20).toFixed(0)} MiB, ${(a.wasmHeap / inputBytes).toFixed(2)} bytes per input byte`;
        console.log(`  run ${r.run} again in the same page: ${a.ok ? 'success' : `failed: ${a.error}`} in ${seconds(a.totalMs)} s; wasm heap after it ${heapText}`);
      }
    }
  } finally {
    await b.close();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
