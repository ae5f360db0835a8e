/**
 * Shared set-up for the end-to-end tests: the built site served with a strict CSP,
 * headless Chromium, and pages that record every request and every CSP violation.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { serveStatic, STRICT_CSP, type StaticServer } from './server.ts';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const datasetDir = path.resolve(repoRoot, '../shared/datasets/retail-dw');
/** The built site under test (`E2E_DIST` points elsewhere, e.g. at a build in a temporary folder). */
export const distDir = process.env.E2E_DIST ?? path.join(repoRoot, 'dist');

export const REAL_FILES = [
  'source_crm/cust_info.csv',
  'source_crm/prd_info.csv',
  'source_crm/sales_details.csv',
  'source_erp/CUST_AZ12.csv',
  'source_erp/LOC_A101.csv',
  'source_erp/PX_CAT_G1V2.csv',
].map((f) => path.join(datasetDir, f));

export const TASK_IDS = [
  'ingest_bronze', 'validate_data', 'run_silver', 'run_gold', 'run_kpi', 'run_segmentation', 'export_for_powerbi',
] as const;

/** How long a whole pipeline run may take in a test. */
export const RUN_TIMEOUT = 120_000;

export interface AppPage {
  page: Page;
  context: BrowserContext;
  /** Every URL the page (and its worker) asked for. */
  requests: string[];
  /** Console errors, page errors and CSP violations. */
  problems: string[];
}

export interface Harness {
  origin: string;
  /** Opens a page of the app (`path` on its origin), or any `http…` URL (e.g. a portal embedding it). */
  open(viewport?: { width: number; height: number }, path?: string): Promise<AppPage>;
  /** Asserts the page only talked to our own origin and broke no CSP rule, then closes it. */
  close(app: AppPage): Promise<void>;
  stop(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  let server: StaticServer | undefined;
  let origin = process.env.E2E_ORIGIN;
  if (!origin) {
    server = await serveStatic(distDir, { 'Content-Security-Policy': STRICT_CSP });
    origin = server.origin;
  }
  const browser: Browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run',
    ],
  });
  const own = origin;
  return {
    origin: own,
    async open(viewport = { width: 1280, height: 720 }, path = '/index.html') {
      const context = await browser.newContext({ viewport, acceptDownloads: true });
      const page = await context.newPage();
      const app: AppPage = { page, context, requests: [], problems: [] };
      context.on('request', (r) => app.requests.push(r.url()));
      // A missing asset fails the test, whether or not the browser logs it (a favicon, a source map, a chunk).
      context.on('response', (r) => {
        if (r.status() >= 400) app.problems.push(`HTTP ${r.status()} for ${r.url()}`);
      });
      page.on('worker', (w) => w.on('console', (m) => m.type() === 'error' && app.problems.push(`worker: ${m.text()} (${m.location().url})`)));
      page.on('console', (m) => {
        if (m.type() === 'error') app.problems.push(`console: ${m.text()}${m.location().url ? ` (${m.location().url})` : ''}`);
      });
      page.on('pageerror', (e) => app.problems.push(`page error: ${e.message}`));
      await page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (e) => {
          console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
        });
      });
      // The engine starts with the page: its wasm request comes from the worker, on our origin.
      const wasm = page.waitForRequest((r) => r.url().endsWith('.wasm'), { timeout: 30_000 });
      await page.goto(path.startsWith('http') ? path : `${own}${path}`);
      await wasm;
      return app;
    },
    async close(app) {
      await app.context.close();
      const foreign = app.requests.filter((u) => !u.startsWith(`${own}/`) && !u.startsWith('blob:') && !u.startsWith('data:'));
      assert.deepEqual(foreign, [], 'every request goes to the app\'s own origin');
      assert.deepEqual(app.problems, [], 'no console errors, page errors or CSP violations');
    },
    async stop() {
      await browser.close();
      await server?.close();
    },
  };
}

/** Waits until the shell's run status has one of these states. */
export async function waitForRunState(page: Page, states: string[], timeout = RUN_TIMEOUT): Promise<string> {
  const selector = states.map((s) => `[data-testid="run-status"][data-state="${s}"]`).join(', ');
  await page.locator(selector).waitFor({ timeout });
  return (await page.getByTestId('run-status').getAttribute('data-state')) ?? '';
}

/** The raw data-value of every KPI card on the page. */
export async function readKpis(page: Page): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const m of ['total_sales', 'total_units', 'total_orders', 'total_customers', 'avg_order_value', 'avg_unit_price']) {
    const raw = await page.getByTestId(`kpi-${m}`).getAttribute('data-value', { timeout: 10_000 });
    out[m] = raw === null ? Number.NaN : Number(raw);
  }
  return out;
}

/** Explains a failed run in the assertion message. */
export async function runError(page: Page): Promise<string> {
  const error = page.getByTestId('error');
  return (await error.count()) ? (await error.first().innerText()) : '(no error shown)';
}
