/**
 * Preparing ahead on the real export: after a page has answered a state, the statements
 * of the states one step away are prepared while the engine is idle; a click into one of
 * them then prepares nothing, and its rows are those of a statement prepared afresh. A
 * request goes first, and a round stops when the tables are built again or a run starts.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { expandInputs, inspectPath, registerInputFiles, REPO_ROOT } from '../../src/cli/node-inputs.ts';
import { runPipeline } from '../../src/pipeline/runner.ts';
import type { DashboardFilters } from '../../src/shared/filters.ts';
import type { WasmEngine } from '../../src/duckdb/wasm-engine.ts';
import { shippedModels, testEngine } from '../helpers/pipeline.ts';

// The worker's engine, in Node: the test engine (the API below reaches it through engine-access).
vi.mock('../../src/duckdb/wasm-browser.ts', async () => ({ openBrowserEngine: (await import('../helpers/pipeline.ts')).testEngine }));
const { announceRunStart } = await import('../../src/workers/engine-access.ts');
const { dashboardsApi } = await import('../../src/workers/dashboards/dashboards-api.ts');
const { dropBase, ensureBase } = await import('../../src/workers/dashboards/base.ts');
const { forgetAnswers } = await import('../../src/workers/dashboards/cache.ts');
const { queryPage } = await import('../../src/workers/dashboards/pages.ts');
const { closeStatements } = await import('../../src/workers/dashboards/statements.ts');
const { prepareAhead } = await import('../../src/workers/dashboards/prepare-ahead.ts');
type PreparedAhead = import('../../src/workers/dashboards/prepare-ahead.ts').PreparedAhead;
type PageRequest = import('../../src/workers/dashboards/pages.ts').PageRequest;

const DATASET = path.resolve(REPO_ROOT, '../shared/datasets/retail-dw');
let e: WasmEngine;

beforeAll(async () => {
  e = await testEngine();
  const inputs = registerInputFiles(e, await Promise.all((await expandInputs([DATASET])).map((f) => inspectPath(f))));
  const report = await runPipeline({ engine: e, models: await shippedModels(), inputs, runDate: '2026-11-26' });
  expect(report.state, report.error).toBe('success');
  await ensureBase(e);
}, 120_000);

/** A page's state answered with nothing kept from before, then its round of preparing ahead. */
async function answerThenPrepare(req: PageRequest): Promise<PreparedAhead> {
  closeStatements(e);
  forgetAnswers(e);
  await queryPage(e, req);
  return new Promise((resolve) => prepareAhead(e, req, resolve));
}

const at = (filters: DashboardFilters, page: PageRequest['page'] = 'executive'): PageRequest => ({ page, filters, grain: 'month' });

describe('a click into a state prepared ahead', () => {
  const start: DashboardFilters = { values: { country: ['Germany'] } };
  // Other values than the stand-ins, and every kind of step: a mark or slicer, a period, one end typed, a chip removed, a value replaced.
  const steps: [string, DashboardFilters][] = [
    ['a category added', { values: { country: ['Germany'], category: ['Clothing'] } }],
    ['a gender added', { values: { country: ['Germany'], gender: ['Female'] } }],
    ['a period clicked', { from: '2013-02-01', to: '2013-02-28', values: { country: ['Germany'] } }],
    ['a first day typed', { from: '2012-06-20', values: { country: ['Germany'] } }],
    ['a last day typed', { to: '2013-09-03', values: { country: ['Germany'] } }],
    ['the country removed', { values: {} }],
    ['another country chosen', { values: { country: ['France'] } }],
  ];
  for (const page of ['executive', 'customers', 'products', 'segments'] as const) {
    it(`${page}: prepares nothing, and answers the rows of a statement prepared afresh`, { timeout: 60_000 }, async () => {
      for (const [what, filters] of steps) {
        const outcome = await answerThenPrepare(at(start, page));
        expect(outcome).toMatchObject({ complete: true });
        expect(outcome.prepared).toBeGreaterThan(5);
        const ahead = await queryPage(e, at(filters, page));
        expect(ahead.timing?.queried, what).toBeGreaterThan(0);
        expect(ahead.timing?.prepareMs, `${page}, ${what}: prepared again`).toBe(0);
        closeStatements(e);
        forgetAnswers(e);
        const fresh = await queryPage(e, at(filters, page));
        expect(fresh.timing?.prepareMs).toBeGreaterThan(0);
        expect(JSON.stringify(ahead.charts), what).toBe(JSON.stringify(fresh.charts));
        expect(ahead.kpis, what).toEqual(fresh.kpis);
      }
    });
  }

  it('a round for a state whose next steps are all kept prepares nothing more', async () => {
    const req = at({ values: { category: ['Bikes'] } });
    expect((await answerThenPrepare(req)).prepared).toBeGreaterThan(0);
    const again = await new Promise<PreparedAhead>((resolve) => prepareAhead(e, req, resolve));
    expect(again).toMatchObject({ complete: true, prepared: 0 });
    expect(again.candidates).toBeGreaterThan(0);
  });
});

describe('a round gives way', () => {
  it('to a request that arrives: it stops before preparing, and the request\'s own round runs', async () => {
    closeStatements(e);
    forgetAnswers(e);
    const outcomes: PreparedAhead[][] = [[], []];
    await dashboardsApi.page(at({ values: { gender: ['Male'] } }), (o) => void outcomes[0].push(o));
    // Sent at once, as a click right after the answer: it takes the engine before the first candidate.
    const second = new Promise<PreparedAhead>((resolve) => void dashboardsApi.page(at({ values: { gender: ['Male'], country: ['France'] } }), resolve));
    const done = await second;
    expect(outcomes[0]).toEqual([expect.objectContaining({ complete: false, prepared: 0 })]);
    expect(done).toMatchObject({ complete: true });
    expect(done.prepared).toBeGreaterThan(0);
  });

  it('stops when the tables are built again, or a run starts', async () => {
    const req = at({ values: { country: ['Canada'] } });
    await queryPage(e, req);
    const rebuilt = new Promise<PreparedAhead>((resolve) => prepareAhead(e, req, resolve));
    await dropBase(e);
    await ensureBase(e);
    expect(await rebuilt).toMatchObject({ complete: false, prepared: 0 });

    await queryPage(e, req);
    const run = new Promise<PreparedAhead>((resolve) => prepareAhead(e, req, resolve));
    await announceRunStart(e);
    expect(await run).toMatchObject({ complete: false, prepared: 0 });
    await ensureBase(e);
  });

  it('over the plain base or on the quality page it has nothing to prepare', async () => {
    await queryPage(e, { page: 'quality', filters: { values: {} }, grain: 'month' });
    expect(await new Promise<PreparedAhead>((resolve) => prepareAhead(e, { page: 'quality', filters: { values: {} }, grain: 'month' }, resolve)))
      .toMatchObject({ complete: true, candidates: 0, prepared: 0 });
  });
});
