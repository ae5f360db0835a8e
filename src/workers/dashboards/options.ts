/** The filter choices and the insight figures: both read the whole aggregates (or base), once per run. */
import type { SqlEngine } from '../../duckdb/sql-engine.ts';
import { DIMENSIONS, type DimensionKey } from '../../shared/filters.ts';
import { ensureBase } from './base.ts';
import { chartSql } from './pages.ts';

export interface FilterOptions {
  /** Per dimension, the values that occur on sales lines. */
  values: Record<DimensionKey, string[]>;
  /** Subcategory → its category, so the subcategory list can follow the category filter. */
  subcategoryParent: Record<string, string>;
  /** First and last order day in the data, `yyyy-mm-dd` (null when no line has a date). */
  firstDay: string | null;
  lastDay: string | null;
}

/** The values each filter offers, from the data. */
export async function queryOptions(e: SqlEngine): Promise<FilterOptions> {
  const { aggregates } = await ensureBase(e);
  const rows = await e.query<{ dimension: DimensionKey; value: string; parent: string | null }>(chartSql(aggregates ? 'aggregates/filter_options' : 'filter_options'));
  const values = Object.fromEntries(DIMENSIONS.map((d) => [d.key, [] as string[]])) as Record<DimensionKey, string[]>;
  const subcategoryParent: Record<string, string> = {};
  for (const r of rows) {
    if (r.dimension === 'subcategory' && r.parent !== null) subcategoryParent[r.value] ??= r.parent;
    if (!values[r.dimension].includes(r.value)) values[r.dimension].push(r.value);
  }
  const [days] = await e.query<{ first: string | null; last: string | null }>(
    `select strftime(min(order_date), '%Y-%m-%d') as first, strftime(max(order_date), '%Y-%m-%d') as last from ${aggregates ? 'dash_agg.orders' : 'temp.dash_facts'}`,
  );
  return { values, subcategoryParent, firstDay: days.first, lastDay: days.last };
}

/** One figure behind a generated insight sentence. */
export interface InsightFigure {
  insight: 'product_line' | 'subcategory_units' | 'top_segment' | 'country' | 'peak_month' | 'customer_type';
  name: string;
  /** The share (0–1) the sentence quotes. */
  share: number | null;
  value: number | null;
  /** A second share where the sentence compares two (customers of a segment or type). */
  other: number | null;
}

/** The figures behind the insight sentences, for the whole data of the current run. */
export async function queryInsightFigures(e: SqlEngine): Promise<InsightFigure[]> {
  const { aggregates } = await ensureBase(e);
  return e.query<InsightFigure & Record<string, string | number | null>>(chartSql(aggregates ? 'aggregates/insight_numbers' : 'insight_numbers'));
}
