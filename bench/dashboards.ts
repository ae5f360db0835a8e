/**
 * Dashboard speed in the real UI: the built app in headless Chromium runs one data set
 * through the Data page, then, on each measured page, a seeded series of filter
 * changes of mixed kinds — a click on a bar, slice or period; a slicer value; one end
 * of the date range typed in; a filter chip removed — each timed from the click or
 * change (a capture listener in the page) until the dashboard and every chart of the
 * page are ready again. Only filter states never seen before in the session count
 * (a revisit is answered from memory); median and p95 per page and per kind, and the
 * medians of the parts of a change (./dashboard-probe.ts). `--dist` measures another build
 * (e.g. the base branch's, built into another directory) with the same series of changes.
 * `--pause` waits before each change, as a user pausing between clicks, until the page
 * says the worker has prepared the states one step away (`data-prepared-ahead` on the
 * dashboard; a build without it is not waited for), and reports how long that took.
 *
 *   npm run build && npx tsx bench/dashboards.ts [--data real,10,100] [--pages executive,customers,products,segments]
 *                                                [--changes 30] [--seed 7] [--run-timeout-min 60] [--out bench/.data/dash.json] [--dist dist] [--pause]
 *                                                [--js-flags '<V8 flags for Chromium, e.g. --no-liftoff>']
 *
 * `real` is ../shared/datasets/retail-dw; a number N is /work/data/scaleN when present,
 * else bench/.data/scaleN (generated once with src/cli/generate.ts).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { chromium, type Page } from 'playwright-core';
import { serveStatic, STRICT_CSP } from '../tests/e2e/server.ts';
import { chromiumLaunch } from './browser.ts';
import { breakdownLine, PROBE, quantile, WAIT_PREPARED, type Breakdown, type Pause } from './dashboard-probe.ts';

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const { values: opts } = parseArgs({
  options: {
    data: { type: 'string', default: 'real,100' },
    pages: { type: 'string', default: 'executive,customers,products,segments' },
    changes: { type: 'string', default: '30' },
    seed: { type: 'string', default: '7' },
    'run-timeout-min': { type: 'string', default: '60' },
    out: { type: 'string' },
    'js-flags': { type: 'string' },
    dist: { type: 'string', default: 'dist' },
    pause: { type: 'boolean', default: false },
  },
});

/** The six source files of a data set name (`real` or a scale). */
async function dataFiles(name: string): Promise<string[]> {
  let dir: string;
  if (name === 'real') dir = path.resolve(repo, '../shared/datasets/retail-dw');
  else if (existsSync(path.join('/work/data', `scale${name}`, 'source_crm', 'sales_details.csv'))) dir = path.join('/work/data', `scale${name}`);
  else {
    dir = path.join(repo, 'bench/.data', `scale${name}`);
    if (!existsSync(path.join(dir, 'source_crm', 'sales_details.csv'))) {
      console.error(`generating scale ${name} into ${dir} ...`);
      await promisify(execFile)('npx', ['tsx', 'src/cli/generate.ts', '--scale', name, '--out', dir], { cwd: repo, maxBuffer: 1 << 24 });
    }
  }
  return ['source_crm', 'source_erp'].flatMap((sub) => readdirSync(path.join(dir, sub)).map((f) => path.join(dir, sub, f)));
}


async function waitAllReady(page: Page, timeout: number): Promise<void> {
  await page.waitForFunction(() => document.querySelector('[data-testid="dashboard"]')?.getAttribute('data-state') === 'ready'
    && [...document.querySelectorAll('[data-testid^="chart-"][data-state]')].every((c) => c.getAttribute('data-state') === 'ready'), null, { timeout, polling: 50 });
}

/** A small seeded generator (mulberry32): the same series of changes on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Kind = 'mark' | 'slicer' | 'date' | 'chip';
interface Change { kind: Kind; label: string; act: () => Promise<void> }

/** The filter state in the address, in a canonical form (what "seen before" compares). */
async function stateKey(page: Page): Promise<string> {
  return page.evaluate(() => {
    const query = location.hash.split('?')[1] ?? '';
    return [...new URLSearchParams(query).entries()].filter(([k]) => k !== 'grain').map(([k, v]) => `${k}=${v}`).sort().join('&');
  });
}

/**
 * A point inside the nth mark of a chart (bar, slice or period point), found by asking
 * the page which element is under candidate points of its box: a slice's box centre
 * may fall in the hole of the donut.
 */
async function markPoint(page: Page, chart: string, n: number): Promise<{ x: number; y: number; count: number } | null> {
  return page.evaluate(([id, nth]) => {
    const marks = [...document.querySelectorAll(`[data-testid="chart-${id}"] .plot :is(.mark-rect, .mark-arc, .mark-symbol) path`)];
    if (marks.length === 0) return null;
    const mark = marks[nth % marks.length] as SVGGraphicsElement;
    mark.scrollIntoView({ block: 'center' });
    const box = mark.getBoundingClientRect();
    for (const [fx, fy] of [[0.5, 0.5], [0.25, 0.5], [0.75, 0.5], [0.5, 0.25], [0.5, 0.75], [0.2, 0.2], [0.8, 0.8], [0.2, 0.8], [0.8, 0.2]]) {
      const x = box.left + box.width * fx;
      const y = box.top + box.height * fy;
      if (document.elementFromPoint(x, y) === mark) return { x, y, count: marks.length };
    }
    return null;
  }, [chart, n] as const);
}

/** The charts of a page a click can filter by. */
const PICKABLE: Record<string, string[]> = {
  executive: ['sales-over-time', 'sales-by-category', 'sales-by-subcategory', 'sales-by-country'],
  customers: ['customers-by-gender', 'customers-by-country', 'new-customers'],
  products: ['category-share', 'product-line-share'],
  segments: ['value-segments', 'rfm-segments'],
};

const SLICERS = ['category', 'subcategory', 'line', 'country', 'gender', 'marital', 'segment', 'rfm'];

/** The next change to try: mostly marks and slicers, some date ends, and a chip removed when three or more are on. */
async function nextChange(page: Page, dashboard: string, rnd: () => number): Promise<Change | null> {
  const chips = await page.getByTestId('filter-chip').count();
  const roll = rnd();
  const kind: Kind = chips >= 3 || (chips > 0 && roll < 0.2) ? 'chip' : roll < 0.5 ? 'mark' : roll < 0.8 ? 'slicer' : 'date';
  if (kind === 'chip') {
    const n = Math.floor(rnd() * chips);
    const button = page.getByTestId('filter-chip').nth(n).getByRole('button');
    const label = (await button.getAttribute('aria-label')) ?? 'chip';
    return { kind, label, act: () => button.click() };
  }
  if (kind === 'mark') {
    const chart = PICKABLE[dashboard][Math.floor(rnd() * PICKABLE[dashboard].length)];
    const point = await markPoint(page, chart, Math.floor(rnd() * 1000));
    if (!point) return null;
    return { kind, label: `${chart} mark`, act: () => page.mouse.click(point.x, point.y) };
  }
  if (kind === 'slicer') {
    const key = SLICERS[Math.floor(rnd() * SLICERS.length)];
    const select = page.locator(`#filter-${key}`);
    const values = (await select.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).filter((v) => v && !v.startsWith('\u0000'));
    const current = await select.inputValue();
    const choices = values.filter((v) => v !== current);
    if (choices.length === 0) return null;
    const value = choices[Math.floor(rnd() * choices.length)];
    return { kind, label: `${key} = ${value}`, act: async () => void (await select.selectOption(value)) };
  }
  const from = page.locator('#filter-from');
  const to = page.locator('#filter-to');
  const [min, max, fromNow, toNow] = await Promise.all([from.getAttribute('min'), from.getAttribute('max'), from.inputValue(), to.inputValue()]);
  if (!min || !max) return null;
  const day = (lo: string, hi: string) => {
    const a = Date.parse(lo);
    const b = Date.parse(hi);
    return new Date(a + Math.floor(rnd() * ((b - a) / 86_400_000 + 1)) * 86_400_000).toISOString().slice(0, 10);
  };
  if (!fromNow || (toNow && rnd() < 0.5)) {
    const value = day(min, toNow || max);
    return { kind, label: `from ${value}`, act: () => from.fill(value) };
  }
  const value = day(fromNow, max);
  return { kind, label: `to ${value}`, act: () => to.fill(value) };
}

interface Timing { kind: Kind; label: string; ms: number; frameMs: number; engineMs: number; state: string; breakdown: Breakdown; pause?: Pause }

const fmt = (ms: number | undefined) => (ms === undefined ? '—' : `${ms.toFixed(0)}`);

/** The pauses before the changes: how long the page took to say its next states were prepared, and what the rounds did. */
function pauseLine(times: Timing[]): string {
  const pauses = times.map((t) => t.pause).filter((p): p is Pause => p !== undefined && p.state !== 'none');
  if (pauses.length === 0) return 'no pauses (the build does not prepare ahead, or --pause is off)';
  const med = (xs: number[]) => (xs.length ? quantile(xs, 0.5) : undefined);
  const rounds = pauses.map((p) => p.outcome).filter((o) => o !== null);
  const hits = times.filter((t) => t.breakdown?.prepare === 0).length;
  return `pause before a change: median ${fmt(med(pauses.map((p) => p.ms)))} ms, p95 ${fmt(quantile(pauses.map((p) => p.ms), 0.95))} ms` +
    ` (${pauses.filter((p) => p.state === 'done').length} done, ${pauses.filter((p) => p.state === 'stopped').length} stopped); rounds: median ${fmt(med(rounds.map((o) => o.ms)))} ms,` +
    ` ${fmt(med(rounds.map((o) => o.prepared)))} prepared of ${fmt(med(rounds.map((o) => o.candidates)))} candidates, prepare ${fmt(med(rounds.map((o) => o.prepareMs)))} ms;` +
    ` changes with nothing to prepare: ${hits} of ${times.length}`;
}

function summary(times: Timing[]): string {
  if (times.length === 0) return 'no changes measured';
  const ms = times.map((t) => t.ms);
  const perKind = (['mark', 'slicer', 'date', 'chip'] as const)
    .map((k) => [k, times.filter((t) => t.kind === k).map((t) => t.ms)] as const)
    .filter(([, xs]) => xs.length)
    .map(([k, xs]) => `${k} ${fmt(quantile(xs, 0.5))} (${xs.length})`).join(', ');
  return `${times.length} new states: median ${fmt(quantile(ms, 0.5))} ms, p95 ${fmt(quantile(ms, 0.95))} ms, max ${fmt(Math.max(...ms))} ms; ` +
    `engine median ${fmt(quantile(times.map((t) => t.engineMs), 0.5))} ms; by kind (median, n): ${perKind}`;
}

const load = () => loadavg()[0].toFixed(1);

interface PageResult { page: string; firstViewMs: number; changes: Timing[]; revisits: Timing[]; skipped: number }

async function benchData(name: string, pages: string[], count: number, seed: number, runTimeoutMs: number): Promise<{ name: string; runMs: number; pages: PageResult[] } | undefined> {
  const files = await dataFiles(name);
  const server = await serveStatic(path.resolve(repo, opts.dist), { 'Content-Security-Policy': STRICT_CSP });
  const browser = await chromium.launch(chromiumLaunch(opts['js-flags']));
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
      console.log(`${name}: the run failed in the browser after ${(runMs / 1000).toFixed(1)} s: ${why.replace(/\s+/g, ' ')}`);
      return undefined;
    }
    console.log(`${name}: run ${(runMs / 1000).toFixed(1)} s (load ${load()})`);
    await page.evaluate(PROBE);
    await page.evaluate(WAIT_PREPARED);
    const results: PageResult[] = [];
    const seen = new Set<string>();
    for (const dashboard of pages) {
      const rnd = random(seed + dashboard.length);
      const opened = performance.now();
      await page.evaluate((d) => { location.hash = `#/dashboards/${d}`; }, dashboard);
      await waitAllReady(page, runTimeoutMs);
      const firstViewMs = performance.now() - opened;
      // The filter choices arrive after the first page: the slicers need them.
      await page.locator('#filter-country:not([disabled])').waitFor({ timeout: runTimeoutMs });
      seen.add(`${dashboard}|${await stateKey(page)}`);
      const changes: Timing[] = [];
      const revisits: Timing[] = [];
      let skipped = 0;
      for (let attempt = 0; changes.length < count && attempt < count * 4; attempt++) {
        const pause = opts.pause ? ((await page.evaluate('window.benchWaitPrepared()')) as Pause) : undefined;
        const change = await nextChange(page, dashboard, rnd);
        if (!change) {
          skipped++;
          continue;
        }
        const before = await stateKey(page);
        await page.evaluate('window.benchArm()');
        await change.act();
        const state = await stateKey(page);
        if (state === before) {
          // Nothing changed (e.g. a slice already chosen): no redraw to wait for.
          skipped++;
          await page.evaluate('window.benchDone = undefined');
          continue;
        }
        const { ms, frameMs, breakdown } = (await page.evaluate('window.benchDone')) as { ms: number; frameMs: number; breakdown: Breakdown };
        const engineMs = Number(await page.getByTestId('dashboard').getAttribute('data-query-ms'));
        const key = `${dashboard}|${state}`;
        (seen.has(key) ? revisits : changes).push({ kind: change.kind, label: change.label, ms, frameMs, engineMs, state, breakdown, pause });
        seen.add(key);
      }
      const again = revisits.length ? `${revisits.length} revisits (answered from memory: drawing alone), median ${fmt(quantile(revisits.map((t) => t.ms), 0.5))} ms` : 'no revisits';
      console.log(`  ${dashboard}: first view ${(firstViewMs / 1000).toFixed(2)} s; ${summary(changes)}; ${again}; ${skipped} skipped (load ${load()})`);
      if (changes.length) console.log(`    breakdown (medians, ms): ${breakdownLine(changes, fmt)}`);
      if (opts.pause) console.log(`    ${pauseLine(changes)}`);
      results.push({ page: dashboard, firstViewMs, changes, revisits, skipped });
    }
    return { name, runMs, pages: results };
  } finally {
    await browser.close();
    await server.close();
  }
}

if (!existsSync(path.resolve(repo, opts.dist, 'index.html'))) {
  console.error(`${opts.dist}/index.html is missing: run \`npm run build\` first`);
  process.exit(1);
}
const all = [];
for (const name of opts.data.split(',').map((s) => s.trim())) {
  all.push(await benchData(name, opts.pages.split(','), Number(opts.changes), Number(opts.seed), Number(opts['run-timeout-min']) * 60_000));
}
if (opts.out) {
  mkdirSync(path.dirname(path.resolve(opts.out)), { recursive: true });
  writeFileSync(opts.out, JSON.stringify({ at: new Date().toISOString(), load: loadavg(), dist: opts.dist, pause: opts.pause, results: all }, null, 1));
}
