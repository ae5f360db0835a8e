/**
 * The filter states one step away from the one on screen, as a user would reach them
 * with one click or change: each filter that could be removed (a chip), each filter
 * that could be added (a value of a dimension not yet filtered; a date range, or its
 * missing end), another value of each filter that is on, and each end of a date range moved. Values are stand-ins: a statement's
 * text depends on which filters are on, how many values each has and how a date range
 * falls on months, not on which values — so one value per kind gives the statement the
 * page will prepare for any of them (./prepare-ahead.ts prepares them while idle).
 */
import { DIMENSIONS, filterChips, removeChip, setDateRange, setValues, type DashboardFilters, type FilterKey } from '../../shared/filters.ts';
import type { Dictionary } from './codes.ts';

export interface NextState {
  /** `remove`: the exact state after a chip is removed; `add` / `change`: a stand-in of its shape. */
  kind: 'remove' | 'add' | 'change';
  filters: DashboardFilters;
}

/** `yyyy-mm-15` of the month `n` months after the month of `day`. */
function midMonth(day: string, n: number): string {
  const d = new Date(`${day.slice(0, 7)}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + n);
  return `${d.toISOString().slice(0, 7)}-15`;
}

/** The last day of the month of `day`. */
function monthEnd(day: string): string {
  const d = new Date(`${day.slice(0, 7)}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + 1);
  return new Date(d.getTime() - 86_400_000).toISOString().slice(0, 10);
}

/** The date ranges one step away: a period clicked or one end typed (none on), the other end (one on), an end moved (both on). */
function dateSteps(filters: DashboardFilters, dict: Dictionary): NextState[] {
  const { from, to } = filters;
  // A month inside the data, two after its first: its whole months before and after hold orders.
  const anchor = midMonth(dict.firstMonth ?? '2000-01-01', 2);
  if (!from && !to) {
    const period = `${anchor.slice(0, 7)}-01`;
    return [
      { kind: 'add', filters: setDateRange(filters, period, monthEnd(period)) },
      { kind: 'add', filters: setDateRange(filters, anchor, undefined) },
      { kind: 'add', filters: setDateRange(filters, undefined, anchor) },
    ];
  }
  if (from && !to) return [{ kind: 'add', filters: setDateRange(filters, from, midMonth(from, 2)) }];
  if (!from && to) return [{ kind: 'add', filters: setDateRange(filters, midMonth(to, -2), to) }];
  return [
    { kind: 'change', filters: setDateRange(filters, midMonth(to!, -2), to) },
    { kind: 'change', filters: setDateRange(filters, from, midMonth(from!, 2)) },
  ];
}

/**
 * The states one step away from `filters` on a page whose charts show `shown`, the
 * likeliest first: removals (a chip is always in sight), the dimensions the page's charts
 * show (a click), another value of a filter that is on, the date range, then the other slicers.
 */
export function nextStates(filters: DashboardFilters, dict: Dictionary, shown: readonly FilterKey[]): NextState[] {
  const removals: NextState[] = filterChips(filters).map((chip) => ({ kind: 'remove', filters: removeChip(filters, chip) }));
  const additions = (keys: readonly FilterKey[]): NextState[] =>
    DIMENSIONS.filter((d) => keys.includes(d.key) && !filters.values[d.key]?.length).flatMap((d) => {
      const [value] = dict.codes[d.key].keys();
      return value === undefined ? [] : [{ kind: 'add' as const, filters: setValues(filters, d.key, [value]) }];
    });
  // Another value of a filter that is on (a slicer, or a click on another mark): the same
  // filters, but the statement may differ from the one that answered this state.
  const replaced: NextState[] = DIMENSIONS.filter((d) => filters.values[d.key]?.length).flatMap((d) => {
    const value = [...dict.codes[d.key].keys()].find((v) => !filters.values[d.key]!.includes(v));
    return value === undefined ? [] : [{ kind: 'change' as const, filters: setValues(filters, d.key, [value]) }];
  });
  const others = DIMENSIONS.map((d) => d.key).filter((k) => !shown.includes(k));
  return [...removals, ...additions(shown), ...replaced, ...dateSteps(filters, dict), ...additions(others)];
}
