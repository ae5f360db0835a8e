/**
 * The dashboard filters (slicers): a date range plus a set of kept values per
 * dimension. They live in the URL query (`?country=Germany&from=2013-01-01`) and
 * reach SQL only through `filtersToWhere`, which binds every value as a parameter.
 */
import type { SqlValue } from '../duckdb/sql-engine.ts';

/** The dimensions a dashboard can be sliced by: URL key, label, column of the dashboard base. */
export const DIMENSIONS = [
  { key: 'category', label: 'Category', column: 'category' },
  { key: 'subcategory', label: 'Subcategory', column: 'subcategory' },
  { key: 'line', label: 'Product line', column: 'product_line' },
  { key: 'country', label: 'Country', column: 'country' },
  { key: 'gender', label: 'Gender', column: 'gender' },
  { key: 'marital', label: 'Marital status', column: 'marital_status' },
  { key: 'segment', label: 'Value segment', column: 'value_segment' },
  { key: 'rfm', label: 'RFM segment', column: 'rfm_segment' },
] as const;

export type DimensionKey = (typeof DIMENSIONS)[number]['key'];
/** A dimension or the date range: what a chart can leave out of its own filter. */
export type FilterKey = DimensionKey | 'date';

export interface DashboardFilters {
  /** First and last order day kept, `yyyy-mm-dd`, inclusive; absent: open-ended. */
  from?: string;
  to?: string;
  /** Per dimension, the values kept (a line matches any of them); absent: all. */
  values: Partial<Record<DimensionKey, string[]>>;
}

/** One active filter value, as shown on a chip. */
export interface FilterChip {
  key: FilterKey;
  /** The dimension value; for the date range, the range in words. */
  value: string;
  label: string;
}

/** Bounds that keep URLs and statements small whatever a link carries. */
const MAX_VALUES = 50;
const MAX_LENGTH = 200;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

export const NO_FILTERS: DashboardFilters = { values: {} };

/** A valid calendar day `yyyy-mm-dd`, or undefined. */
export function cleanDay(text: string | null | undefined): string | undefined {
  if (!text || !ISO_DAY.test(text)) return undefined;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text ? text : undefined;
}

function cleanValue(text: string): string | undefined {
  // DuckDB text cannot hold NUL; overlong values cannot be real dimension values.
  return text.length > 0 && text.length <= MAX_LENGTH && !text.includes('\u0000') ? text : undefined;
}

/** Reads filters from URL query parameters; unknown keys and malformed values are ignored. */
export function parseFilters(params: URLSearchParams): DashboardFilters {
  const values: DashboardFilters['values'] = {};
  for (const { key } of DIMENSIONS) {
    const kept = [...new Set(params.getAll(key).map(cleanValue).filter((v): v is string => v !== undefined))];
    if (kept.length) values[key] = kept.slice(0, MAX_VALUES);
  }
  const filters: DashboardFilters = { values };
  const from = cleanDay(params.get('from'));
  const to = cleanDay(params.get('to'));
  if (from) filters.from = from;
  if (to) filters.to = to;
  return filters;
}

/** Writes filters into URL query parameters, keeping any other parameter of `base`. */
export function filtersToParams(filters: DashboardFilters, base = new URLSearchParams()): URLSearchParams {
  const params = new URLSearchParams(base);
  for (const key of ['from', 'to', ...DIMENSIONS.map((d) => d.key)]) params.delete(key);
  if (filters.from) params.set('from', filters.from);
  if (filters.to) params.set('to', filters.to);
  for (const { key } of DIMENSIONS) for (const v of filters.values[key] ?? []) params.append(key, v);
  return params;
}

/**
 * The WHERE clause over the dashboard base for these filters, with `?` placeholders
 * and their values in order. Column names come from DIMENSIONS only; `exclude`
 * leaves filters out (a chart does not filter by the dimension it shows).
 */
export function filtersToWhere(filters: DashboardFilters, exclude: readonly FilterKey[] = []): { sql: string; params: SqlValue[] } {
  const terms: string[] = [];
  const params: SqlValue[] = [];
  if (!exclude.includes('date')) {
    const from = cleanDay(filters.from);
    const to = cleanDay(filters.to);
    if (from) {
      terms.push('order_date >= cast(? as date)');
      params.push(from);
    }
    if (to) {
      terms.push('order_date <= cast(? as date)');
      params.push(to);
    }
  }
  for (const { key, column } of DIMENSIONS) {
    if (exclude.includes(key)) continue;
    const kept = (filters.values[key] ?? []).map(cleanValue).filter((v): v is string => v !== undefined).slice(0, MAX_VALUES);
    if (kept.length === 0) continue;
    terms.push(`${column} in (${kept.map(() => '?').join(', ')})`);
    params.push(...kept);
  }
  return { sql: terms.length ? `where ${terms.join(' and ')}` : '', params };
}

/** Whether any filter is active. */
export function hasFilters(filters: DashboardFilters): boolean {
  return filterChips(filters).length > 0;
}

/** Every active filter value, in the order of the filter bar. */
export function filterChips(filters: DashboardFilters): FilterChip[] {
  const chips: FilterChip[] = [];
  if (filters.from || filters.to) {
    const range = filters.from && filters.to ? `${filters.from} to ${filters.to}` : filters.from ? `from ${filters.from}` : `until ${filters.to}`;
    chips.push({ key: 'date', value: range, label: 'Dates' });
  }
  for (const { key, label } of DIMENSIONS) for (const value of filters.values[key] ?? []) chips.push({ key, value, label });
  return chips;
}

/** Keeps only `value` for this dimension, or adds/removes it when `additive` (shift/ctrl-click). */
export function pickValue(filters: DashboardFilters, key: DimensionKey, value: string, additive = false): DashboardFilters {
  const current = filters.values[key] ?? [];
  let next: string[];
  if (additive) next = current.includes(value) ? current.filter((v) => v !== value) : [...current, value];
  else next = current.length === 1 && current[0] === value ? [] : [value];
  return setValues(filters, key, next);
}

/** Replaces the kept values of one dimension (empty: all). */
export function setValues(filters: DashboardFilters, key: DimensionKey, values: string[]): DashboardFilters {
  const next = { ...filters.values };
  if (values.length) next[key] = values;
  else delete next[key];
  return { ...filters, values: next };
}

/** Sets the date range (either end may be open). */
export function setDateRange(filters: DashboardFilters, from?: string, to?: string): DashboardFilters {
  const next: DashboardFilters = { values: filters.values };
  const f = cleanDay(from);
  const t = cleanDay(to);
  if (f) next.from = f;
  if (t) next.to = t;
  return next;
}

/** Removes one chip's filter. */
export function removeChip(filters: DashboardFilters, chip: FilterChip): DashboardFilters {
  if (chip.key === 'date') return setDateRange(filters);
  return setValues(filters, chip.key, (filters.values[chip.key] ?? []).filter((v) => v !== chip.value));
}
