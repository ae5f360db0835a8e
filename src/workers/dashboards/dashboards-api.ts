/**
 * The worker's dashboard calls: one call per page and filter change returns every
 * chart of that page, computed from the dashboard aggregates (or the plain base) with
 * the measures' macros. Filter values reach SQL only as bound parameters. After each
 * answer, the statements of the states one step away are prepared while the engine is
 * idle (./prepare-ahead.ts); the page hears when that is done.
 */
import * as Comlink from 'comlink';
import type { FilterOptions, InsightFigure } from './options.ts';
import { queryInsightFigures, queryOptions } from './options.ts';
import { queryPage, wallClock, type PageData, type PageRequest } from './pages.ts';
import type { WasmEngine } from '../../duckdb/wasm-engine.ts';
import { prepareAhead, stopPreparingAhead, type PreparedAhead } from './prepare-ahead.ts';
import { noteShown } from './paint.ts';
import { dropBase, ensureBase } from './base.ts';
import { onNewResults, onRunStart, withEngine } from '../engine-access.ts';
import { notifyPage } from '../page-callback.ts';

// A run needs the memory: the aggregates go, and are built again from its results before
// it reports success (the first dashboard then opens at once). Should that fail, the
// first dashboard call builds them.
onRunStart((e) => dropBase(e));
onNewResults(async (_report, e, progress) => {
  await ensureBase(e, (done, total) => progress('dashboards', done, total)).catch(() => dropBase(e).catch(() => undefined));
});

export const dashboardsApi = {
  /** The values each dashboard filter offers, and the data's first and last order day. */
  async options(): Promise<FilterOptions> {
    return withEngine((e) => queryOptions(e));
  },

  /**
   * All the data of one dashboard page under these filters (small rows, one round trip).
   * `onPreparedAhead` (a comlink proxy) hears once when the statements of the states one
   * step away are prepared, or the round stopped. `onBuilding` (a comlink proxy) hears the
   * steps of the aggregates' build when this call builds them (the first call after a
   * restore: tens of seconds at scale).
   */
  async page(req: PageRequest, onPreparedAhead?: (outcome: PreparedAhead) => void, onBuilding?: (done: number, total: number) => void): Promise<PageData> {
    const receivedAt = wallClock();
    // A request goes first: the round for the state before stops at its next candidate.
    stopPreparingAhead();
    let lockedAt = 0;
    let engine: WasmEngine | undefined;
    const data = await withEngine((e) => {
      lockedAt = wallClock();
      engine = e;
      return queryPage(e, req, onBuilding && notifyPage(onBuilding));
    }).catch((err: unknown) => {
      if (onPreparedAhead) release(onPreparedAhead);
      throw err;
    }).finally(() => {
      if (onBuilding) release(onBuilding);
    });
    const { timing, ...view } = data;
    noteShown(req, view);
    prepareAhead(engine!, req, onPreparedAhead && ((outcome) => {
      void Promise.resolve(onPreparedAhead(outcome)).catch(() => undefined).finally(() => release(onPreparedAhead));
    }));
    return timing ? { ...view, timing: { ...timing, receivedAt, lockedAt, doneAt: wallClock() } } : view;
  },

  /** The figures behind the insight sentences, for the whole data of the current run. */
  async insights(): Promise<InsightFigure[]> {
    return withEngine((e) => queryInsightFigures(e));
  },
};

/** Lets the page's end of a comlink callback go once it was called. */
function release(callback: object): void {
  const remote = callback as { [Comlink.releaseProxy]?: () => void };
  remote[Comlink.releaseProxy]?.();
}

export type { FilterOptions, InsightFigure, PageData, PageRequest, PreparedAhead };
