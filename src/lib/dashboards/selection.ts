/** Cross-filtering: which rows of a chart are selected, and the filters a click on one sets. */
import { pickValue, setDateRange, type DashboardFilters } from '../../shared/filters.ts';
import type { ChartDef } from './charts.ts';
import { periodEnd } from './format.ts';
import type { TimeGrain } from '../../shared/dashboard-pages.ts';

export type Row = Record<string, unknown>;

/** The rows with `selected`: true where the chart's own filter keeps them (all when it has none). */
export function markSelected(def: ChartDef, rows: Row[], filters: DashboardFilters, grain: TimeGrain): Row[] {
  if (def.pick === 'date') {
    const { from, to } = filters;
    return rows.map((r) => {
      const start = String(r[def.category]);
      const end = periodEnd(start, grain);
      return { ...r, selected: (!from || end >= from) && (!to || start <= to) };
    });
  }
  const kept = def.pick ? filters.values[def.pick] : undefined;
  return rows.map((r) => ({ ...r, selected: !kept?.length || kept.includes(String(r[def.category])) }));
}

/** The filters after a click on `row`: its value (or period) kept, or cleared when clicked again. */
export function pickRow(def: ChartDef, row: Row, filters: DashboardFilters, grain: TimeGrain, additive = false): DashboardFilters | null {
  const value = row[def.category];
  if (!def.pick || value === null || value === undefined) return null;
  if (def.pick === 'date') {
    const from = String(value).slice(0, 10);
    const to = periodEnd(from, grain);
    return filters.from === from && filters.to === to ? setDateRange(filters) : setDateRange(filters, from, to);
  }
  return pickValue(filters, def.pick, String(value), additive);
}
