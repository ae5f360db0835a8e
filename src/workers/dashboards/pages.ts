/**
 * What each dashboard page asks the engine: one SQL file per chart. A chart leaves its
 * own dimension out of the filter (cross-filter: it keeps showing every value, the
 * chosen ones highlighted); the KPIs use all filters. Over the aggregates a chart reads
 * the relations it names (./plan.ts), built for its filters; a relation several charts
 * of the page read alike is computed once per call. Over the plain base (./base.ts) it
 * reads the filtered lines.
 */
import type { Row, SqlEngine, SqlValue } from '../../duckdb/sql-engine.ts';
import type { DashboardPageId, TimeGrain } from '../../shared/dashboard-pages.ts';
import { filtersToWhere, type DashboardFilters, type FilterKey } from '../../shared/filters.ts';
import { BASE_VIEW, ensureBase, resultsOid } from './base.ts';
import { cachedQuery, knownAnswer, rememberAnswer } from './cache.ts';
import { scopeOf, type Dictionary } from './codes.ts';
import { relationSql, withCtes, type Cte, type Relation } from './plan.ts';

const SQL = import.meta.glob(['./sql/*.sql', './sql/aggregates/*.sql'], { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

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
  /** The relations its query over the aggregates reads (./sql/aggregates/<file>.sql). */
  reads?: Relation[];
  params?: (req: PageRequest) => SqlValue[];
}

const PAGE_QUERIES: Record<DashboardPageId, ChartQuery[]> = {
  executive: [
    { id: 'sales-over-time', file: 'sales_over_time', excludes: ['date'], reads: ['cells', 'dated_order_counts'], params: (r) => [r.grain] },
    { id: 'sales-by-category', file: 'sales_by_category', excludes: ['category'], reads: ['cells'] },
    { id: 'sales-by-subcategory', file: 'sales_by_subcategory', excludes: ['subcategory'], reads: ['cells'] },
    { id: 'sales-by-country', file: 'sales_by_country', excludes: ['country'], reads: ['cells', 'buyers'] },
  ],
  customers: [
    { id: 'orders-per-customer', file: 'orders_per_customer', reads: ['per_customer'] },
    { id: 'customers-by-gender', file: 'customers_by_gender', excludes: ['gender'], reads: ['buyers', 'cells'] },
    { id: 'customers-by-country', file: 'customers_by_country', excludes: ['country'], reads: ['buyers', 'cells'] },
    { id: 'top-customers', file: 'top_customers', reads: ['per_customer'] },
    { id: 'new-customers', file: 'new_customers_by_month', excludes: ['date'], reads: ['first_orders'] },
    { id: 'repeat-customers', file: 'repeat_customers', reads: ['per_customer'] },
  ],
  products: [
    { id: 'top-products-units', file: 'top_products_units', reads: ['product_cells'] },
    { id: 'top-products-revenue', file: 'top_products_revenue', reads: ['product_cells'] },
    { id: 'category-share', file: 'sales_by_category', excludes: ['category'], reads: ['cells'] },
    { id: 'product-line-share', file: 'product_line_share', excludes: ['line'], reads: ['cells'] },
    { id: 'product-details', file: 'product_details', reads: ['product_cells'] },
  ],
  segments: [
    { id: 'value-segments', file: 'value_segments', excludes: ['segment'], reads: ['buyers', 'cells'] },
    { id: 'rfm-segments', file: 'rfm_segments', excludes: ['rfm'], reads: ['buyers', 'cells'] },
    { id: 'segment-customers', file: 'segment_customers', reads: ['per_customer'] },
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

/** The KPI query of every page but the quality one. */
const KPIS: ChartQuery = { id: 'kpis', file: 'kpis', reads: ['cells', 'order_counts', 'buyers'] };

/** A chart's query over the aggregates: its relations for its filters, then its own parameters. */
function aggregateQuery(dict: Dictionary, q: ChartQuery, req: PageRequest): { ctes: Cte[]; sql: string; params: SqlValue[] } {
  const scope = scopeOf(dict, req.filters, q.excludes);
  const ctes = (q.reads ?? []).map((name) => relationSql(name, scope));
  const { sql, params } = withCtes(chartSql(`aggregates/${q.file}`), ctes);
  return { ctes, sql, params: [...params, ...(q.params?.(req) ?? [])] };
}

/**
 * Answers the queries over the aggregates: remembered answers first; then each relation
 * that two or more of the remaining queries read alike is computed once into a temp
 * table, which they read instead.
 */
async function queryAggregates(e: SqlEngine, oid: number, dict: Dictionary, queries: ChartQuery[], req: PageRequest): Promise<Row[][]> {
  const planned = queries.map((q) => aggregateQuery(dict, q, req));
  const answers = planned.map((p) => knownAnswer(e, oid, p.sql, p.params));
  const open = planned.filter((_, i) => answers[i] === undefined);
  const uses = new Map<string, number>();
  for (const p of open) for (const c of p.ctes) uses.set(c.key, (uses.get(c.key) ?? 0) + 1);
  const shared = new Map<string, string>();
  try {
    for (const p of open) {
      for (const c of p.ctes) {
        if ((uses.get(c.key) ?? 0) < 2 || shared.has(c.key)) continue;
        const table = `temp.dash_shared_${shared.size}`;
        await e.query(`create or replace temp table ${table.slice(5)} as ${c.sql}`, c.params);
        shared.set(c.key, table);
      }
    }
    for (const [i, p] of planned.entries()) {
      if (answers[i] !== undefined) continue;
      const ctes = p.ctes.map((c) => (shared.has(c.key) ? { ...c, sql: `select * from ${shared.get(c.key)}`, params: [] } : c));
      const run = withCtes(chartSql(`aggregates/${queries[i].file}`), ctes);
      const rows = await e.query(run.sql, [...run.params, ...(queries[i].params?.(req) ?? [])]);
      rememberAnswer(e, oid, p.sql, p.params, rows);
      answers[i] = rows;
    }
  } finally {
    for (const table of shared.values()) await e.exec(`drop table if exists ${table}`);
  }
  return answers as Row[][];
}

/** The KPI row as numbers; an average over no lines is NULL: left out, the card shows a dash. */
function kpiNumbers(row: Row): Record<string, number> {
  return Object.fromEntries(Object.entries(row).filter(([, v]) => v !== null).map(([k, v]) => [k, Number(v)]));
}

/**
 * Runs every query of one page; the aggregates (or the base) are (re)built first when the
 * results changed. Answers are remembered per results: a chart whose own filters did not
 * change (the clicked chart, or a filter state seen before) costs no query.
 */
export async function queryPage(e: SqlEngine, req: PageRequest): Promise<PageData> {
  const queries = PAGE_QUERIES[req.page];
  const usesBase = queries.some((q) => q.base !== false);
  const base = usesBase ? await ensureBase(e) : { oid: await resultsOid(e), aggregates: null };
  const { oid } = base;
  const charts: Record<string, Row[]> = {};
  for (const q of queries.filter((q) => q.base === false)) charts[q.id] = await cachedQuery(e, oid, chartSql(q.file), []);
  if (!usesBase) return { page: req.page, kpis: null, charts };
  const onBase = [...queries.filter((q) => q.base !== false), KPIS];
  let rows: Row[][];
  if (base.aggregates) rows = await queryAggregates(e, oid, base.aggregates, onBase, req);
  else {
    rows = [];
    for (const q of onBase) {
      const { sql, params } = withLines(chartSql(q.file), req.filters, q.excludes);
      rows.push(await cachedQuery(e, oid, sql, [...params, ...(q.params?.(req) ?? [])]));
    }
  }
  for (const [i, q] of onBase.entries()) if (q !== KPIS) charts[q.id] = rows[i];
  return { page: req.page, kpis: kpiNumbers(rows[rows.length - 1][0]), charts };
}
