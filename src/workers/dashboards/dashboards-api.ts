/**
 * The worker's dashboard calls: one call per page and filter change returns every
 * chart of that page, computed over the filtered dashboard base with the measures'
 * macros. Filter values reach SQL only as bound parameters.
 */
import type { FilterOptions, InsightFigure } from './options.ts';
import { queryInsightFigures, queryOptions } from './options.ts';
import { queryPage, type PageData, type PageRequest } from './pages.ts';
import { dropBase } from './base.ts';
import { onNewResults, withEngine } from '../engine-access.ts';

// New results: the old base is dropped now, the new one is built on the first dashboard call.
onNewResults((_report, e) => dropBase(e));

export const dashboardsApi = {
  /** The values each dashboard filter offers, and the data's first and last order day. */
  async options(): Promise<FilterOptions> {
    return withEngine((e) => queryOptions(e));
  },

  /** All the data of one dashboard page under these filters (small rows, one round trip). */
  async page(req: PageRequest): Promise<PageData> {
    return withEngine((e) => queryPage(e, req));
  },

  /** The figures behind the insight sentences, for the whole data of the current run. */
  async insights(): Promise<InsightFigure[]> {
    return withEngine((e) => queryInsightFigures(e));
  },
};

export type { FilterOptions, InsightFigure, PageData, PageRequest };
