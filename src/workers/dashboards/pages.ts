/**
 * What each dashboard page asks the engine: one SQL file per chart, run over the
 * filtered base. A chart leaves its own dimension out of the filter (cross-filter:
 * it keeps showing every value, the chosen ones highlighted); the KPIs use all filters.
 */
import type { Row, SqlEngine, SqlValue } from '../../duckdb/sql-engine.ts';
import type { DashboardPageId, TimeGrain } from '../../shared/dashboard-pages.ts';
import { filtersToWhere, type DashboardFilters, type FilterKey } from '../../shared/filters.ts';
import { BASE_VIEW, ensureBase, resultsOid } from './base.ts';
import { cachedQuery } from './cache.ts';

const SQL = import.meta.glob('./sql/*.sql', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

export interface PageRequest {
  page: DashboardPageId;
  filters: DashboardFilters;
  /** Sales over time by month or by year. */
  grain: TimeGrain;
}

/** Everything one page shows, from one worker call. */
export interface PageData {
  page: DashboardPageId;
  /** The six measures under every filter; null on pages without KPI cards. */
  kpis: Record<string, number> | null;
  /** Rows per chart id. */
  charts: Record<string, Row[]>;
}

interface ChartQuery {
  /** The chart id (`data-testid="chart-<id>"`) and the rows' key in PageData. */
  id: string;
  /** The SQL file in ./sql/. */
  file: string;
  /** Filters this chart does not apply (its own dimension). */
  excludes?: FilterKey[];
  /** Reads the dashboard base (false: quarantine tables). */
  base?: false;
  params?: (req: PageRequest) => SqlValue[];
}

const PAGE_QUERIES: Record<DashboardPageId, ChartQuery[]> = {
  executive: [
    { id: 'sales-over-time', file: 'sales_over_time', excludes: ['date'], params: (r) => [r.grain] },
    { id: 'sales-by-category', file: 'sales_by_category', excludes: ['category'] },
    { id: 'sales-by-subcategory', file: 'sales_by_subcategory', excludes: ['subcategory'] },
    { id: 'sales-by-country', file: 'sales_by_country', excludes: ['country'] },
  ],
  customers: [
    { id: 'orders-per-customer', file: 'orders_per_customer' },
    { id: 'customers-by-gender', file: 'customers_by_gender', excludes: ['gender'] },
    { id: 'customers-by-country', file: 'customers_by_country', excludes: ['country'] },
    { id: 'top-customers', file: 'top_customers' },
    { id: 'new-customers', file: 'new_customers_by_month', excludes: ['date'] },
    { id: 'repeat-customers', file: 'repeat_customers' },
  ],
  products: [
    { id: 'top-products-units', file: 'top_products_units' },
    { id: 'top-products-revenue', file: 'top_products_revenue' },
    { id: 'category-share', file: 'sales_by_category', excludes: ['category'] },
    { id: 'product-line-share', file: 'product_line_share', excludes: ['line'] },
    { id: 'product-details', file: 'product_details' },
  ],
  segments: [
    { id: 'value-segments', file: 'value_segments', excludes: ['segment'] },
    { id: 'rfm-segments', file: 'rfm_segments', excludes: ['rfm'] },
    { id: 'segment-customers', file: 'segment_customers' },
  ],
  quality: [
    { id: 'repairs', file: 'repairs', base: false },
    { id: 'dropped-customers', file: 'dropped_customers', base: false },
  ],
};

/** The chart SQL file's text (by name, without `.sql`). */
export function chartSql(file: string): string {
  const sql = SQL[`./sql/${file}.sql`];
  if (sql === undefined) throw new Error(`no dashboard query ${file}`);
  return sql;
}

/**
 * Puts the filtered base in front of a chart query as its `lines` CTE. The query
 * text is ours (a file in ./sql); only `?` placeholders carry the filter values.
 */
export function withLines(sql: string, filters: DashboardFilters, excludes: readonly FilterKey[] = []): { sql: string; params: SqlValue[] } {
  const where = filtersToWhere(filters, excludes);
  const lines = `lines as (select * from ${BASE_VIEW} ${where.sql})`;
  const body = sql.replace(/^(\s*--[^\n]*\n)*/, '');
  const merged = /^with\s/i.test(body) ? body.replace(/^with\s+/i, `with ${lines},\n`) : `with ${lines}\n${body}`;
  return { sql: merged, params: where.params };
}

/**
 * Runs every query of one page; the base is (re)built first when the results changed.
 * Answers are remembered per results: a chart whose own filters did not change (the
 * clicked chart, or a filter state seen before) costs no query.
 */
export async function queryPage(e: SqlEngine, req: PageRequest): Promise<PageData> {
  const queries = PAGE_QUERIES[req.page];
  const usesBase = queries.some((q) => q.base !== false);
  const oid = usesBase ? await ensureBase(e) : await resultsOid(e);
  const charts: Record<string, Row[]> = {};
  for (const q of queries) {
    if (q.base === false) {
      charts[q.id] = await cachedQuery(e, oid, chartSql(q.file), []);
      continue;
    }
    const { sql, params } = withLines(chartSql(q.file), req.filters, q.excludes);
    charts[q.id] = await cachedQuery(e, oid, sql, [...params, ...(q.params?.(req) ?? [])]);
  }
  let kpis: Record<string, number> | null = null;
  if (usesBase) {
    const { sql, params } = withLines(chartSql('kpis'), req.filters);
    const [row] = await cachedQuery(e, oid, sql, params);
    // An average over no lines is NULL: left out, the card shows a dash.
    kpis = Object.fromEntries(Object.entries(row).filter(([, v]) => v !== null).map(([k, v]) => [k, Number(v)]));
  }
  return { page: req.page, kpis, charts };
}
