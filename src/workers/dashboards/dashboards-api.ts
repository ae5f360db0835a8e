/**
 * The worker's dashboard calls: one call per page and filter change returns every
 * chart of that page, computed from the dashboard aggregates (or the plain base) with
 * the measures' macros. Filter values reach SQL only as bound parameters.
 */
import type { FilterOptions, InsightFigure } from './options.ts';
import { queryInsightFigures, queryOptions } from './options.ts';
import { queryPage, wallClock, type PageData, type PageRequest } from './pages.ts';
import { noteShown } from './paint.ts';
import { dropBase, ensureBase } from './base.ts';
import { onNewResults, onRunStart, withEngine } from '../engine-access.ts';

// A run needs the memory: the aggregates go, and are built again from its results before
// it reports success (the first dashboard then opens at once). Should that fail, the
// first dashboard call builds them.
onRunStart((e) => dropBase(e));
onNewResults(async (_report, e) => {
  await ensureBase(e).catch(() => dropBase(e).catch(() => undefined));
});

export const dashboardsApi = {
  /** The values each dashboard filter offers, and the data's first and last order day. */
  async options(): Promise<FilterOptions> {
    return withEngine((e) => queryOptions(e));
  },

  /** All the data of one dashboard page under these filters (small rows, one round trip). */
  async page(req: PageRequest): Promise<PageData> {
    const receivedAt = wallClock();
    let lockedAt = 0;
    const data = await withEngine((e) => {
      lockedAt = wallClock();
      return queryPage(e, req);
    });
    const { timing, ...view } = data;
    noteShown(req, view);
    return timing ? { ...view, timing: { ...timing, receivedAt, lockedAt, doneAt: wallClock() } } : view;
  },

  /** The figures behind the insight sentences, for the whole data of the current run. */
  async insights(): Promise<InsightFigure[]> {
    return withEngine((e) => queryInsightFigures(e));
  },
};

export type { FilterOptions, InsightFigure, PageData, PageRequest };
