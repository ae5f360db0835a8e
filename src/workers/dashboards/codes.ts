/**
 * The filter values as the aggregates store them: every dimension value has a small
 * integer code (temp.dash_codes), and every product class — a (category, subcategory,
 * product line) — one bit of the order and buyer masks. Read once per results; a filter
 * becomes code lists and, for the product dimensions, a mask of the classes it keeps.
 */
import type { SqlEngine } from '../../duckdb/sql-engine.ts';
import { cleanDay, DIMENSIONS, type DashboardFilters, type DimensionKey, type FilterKey } from '../../shared/filters.ts';

/** The dimensions of products; the others are the customers'. */
export const PRODUCT_DIMENSIONS: readonly DimensionKey[] = ['category', 'subcategory', 'line'];

/** The code column of each dimension on every aggregate row (a fixed list: column names come from here only). */
export const CODE_COLUMN: Record<DimensionKey, string> = {
  category: 'cat', subcategory: 'sub', line: 'line', country: 'cn', gender: 'ge', marital: 'ma', segment: 'va', rfm: 'rf',
};

export interface Dictionary {
  /** Per dimension, value → code. */
  codes: Record<DimensionKey, Map<string, number>>;
  /** The product classes: their bit, and the codes of their category, subcategory and line. */
  classes: { bit: number; cat: number; sub: number; line: number }[];
  /** The first month of the orders (`yyyy-mm-01`), bit 0 of a buyer's months; null when the months do not fit 64 bits. */
  firstMonth: string | null;
  /** The most buyers of one combination of customer codes (their numbers within it, on the orders, run from 1); 0 or absent: none. */
  largestGroup?: number;
}

export async function loadDictionary(e: SqlEngine): Promise<Dictionary> {
  const codes = Object.fromEntries(DIMENSIONS.map((d) => [d.key, new Map<string, number>()])) as Dictionary['codes'];
  for (const r of await e.query<{ dim: DimensionKey; code: number; value: string }>('select dim, code, value from temp.dash_codes')) {
    codes[r.dim]?.set(r.value, r.code);
  }
  const classes = await e.query<{ bit: number; cat: number; sub: number; line: number }>(
    'select distinct class_id as bit, cat, sub, line from temp.dash_products',
  );
  const [months] = await e.query<{ first: string | null; fits: boolean | null; largest: number }>(
    `select strftime(min(o.month), '%Y-%m-%d') as first, bool_and(b.months is not null) as fits, (select coalesce(max(n), 0)::integer from temp.dash_buyer_groups) as largest
     from (select min(month) as month from dash_agg.orders) as o, temp.dash_buyers as b`,
  );
  return { codes, classes, firstMonth: months?.fits && months.first ? months.first : null, largestGroup: months?.largest ?? 0 };
}

/** The filters one chart applies, in codes. */
export interface Scope {
  /** Per filtered dimension, the codes kept (empty: no value of the filter occurs, nothing matches). */
  codes: Partial<Record<DimensionKey, number[]>>;
  /** The classes a product filter keeps, as a decimal UBIGINT (undefined: no product filter). */
  mask?: string;
  from?: string;
  to?: string;
  /** See Dictionary.firstMonth. */
  firstMonth: string | null;
  /** See Dictionary.largestGroup. */
  largestGroup?: number;
}

/** The filters in codes, leaving out `excludes` (a chart does not filter by its own dimension). */
export function scopeOf(dict: Dictionary, filters: DashboardFilters, excludes: readonly FilterKey[] = []): Scope {
  const scope: Scope = { codes: {}, firstMonth: dict.firstMonth, largestGroup: dict.largestGroup };
  for (const { key } of DIMENSIONS) {
    const values = filters.values[key];
    if (!values?.length || excludes.includes(key)) continue;
    scope.codes[key] = [...new Set(values.map((v) => dict.codes[key].get(v)).filter((c): c is number => c !== undefined))];
  }
  if (!excludes.includes('date')) {
    const from = cleanDay(filters.from);
    const to = cleanDay(filters.to);
    if (from) scope.from = from;
    if (to) scope.to = to;
  }
  const productCodes = PRODUCT_DIMENSIONS.filter((k) => scope.codes[k] !== undefined);
  if (productCodes.length) {
    let mask = 0n;
    for (const c of dict.classes) {
      const keep = productCodes.every((k) => scope.codes[k]!.includes(k === 'category' ? c.cat : k === 'subcategory' ? c.sub : c.line));
      if (keep) mask |= 1n << BigInt(c.bit);
    }
    scope.mask = mask.toString();
  }
  return scope;
}

export const hasDates = (s: Scope) => s.from !== undefined || s.to !== undefined;
export const hasProductFilter = (s: Scope) => s.mask !== undefined;
