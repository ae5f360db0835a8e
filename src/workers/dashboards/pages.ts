/**
 * What each dashboard page asks the engine: one SQL file per chart. A chart leaves its
 * own dimension out of the filter (cross-filter: it keeps showing every value, the
 * chosen ones highlighted); the KPIs use all filters. Over the aggregates a chart reads
 * the relations it names (./plan.ts), built for its filters; a relation several charts
 * of the page read alike is computed once per call. Over the plain base (./base.ts) it
 * reads the filtered lines.
 */
import type { Table, Vector } from 'apache-arrow';
import { plainValue, type Row, type SqlValue } from '../../duckdb/sql-engine.ts';
import type { WasmEngine } from '../../duckdb/wasm-engine.ts';
import type { DashboardPageId, TimeGrain } from '../../shared/dashboard-pages.ts';
import { filtersToWhere, type DashboardFilters, type DimensionKey, type FilterKey } from '../../shared/filters.ts';
import { BASE_VIEW, ensureBase, resultsOid } from './base.ts';
import { cachedQuery, knownAnswer, rememberAnswer } from './cache.ts';
import { scopeOf, type Dictionary } from './codes.ts';
import { relationSql, withCtes, type Cte, type Grouping, type Relation } from './plan.ts';
import { runPrepared } from './statements.ts';

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
  /** Where the worker's time went (for the benchmark's breakdown; not part of the view). */
  timing?: PageTiming;
}

/** The worker's side of one page call, in ms; `*At` are wall-clock times (timeOrigin + now), comparable across threads. */
export interface PageTiming {
  receivedAt: number;
  lockedAt: number;
  doneAt: number;
  /** Planning the statement (codes, relations, SQL text). */
  planMs: number;
  /** DuckDB: prepare (when not kept, ./statements.ts) and run the one statement. */
  sqlMs: number;
  /** The part of sqlMs spent preparing. */
  prepareMs: number;
  /** Arrow result → plain rows. */
  convertMs: number;
  /** Charts answered from memory / by the statement. */
  cached: number;
  queried: number;
}

/** Milliseconds since the epoch at sub-ms precision, the same clock in the page and the worker. */
export const wallClock = () => performance.timeOrigin + performance.now();

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
  /** The dimensions that query groups by (a smaller cube serves a chart that needs fewer). */
  groups?: Grouping[];
  /** Columns of its query over the aggregates that hold a dimension's code: the worker puts the value in (no join in the engine). */
  labels?: Record<string, DimensionKey>;
  params?: (req: PageRequest) => SqlValue[];
}

const CATEGORY: Record<string, DimensionKey> = { category: 'category' };

const PAGE_QUERIES: Record<DashboardPageId, ChartQuery[]> = {
  executive: [
    { id: 'sales-over-time', file: 'sales_over_time', excludes: ['date'], reads: ['cells', 'dated_order_counts'], groups: ['month'], params: (r) => [r.grain] },
    { id: 'sales-by-category', file: 'sales_by_category', excludes: ['category'], reads: ['cells'], groups: ['product'], labels: CATEGORY },
    { id: 'sales-by-subcategory', file: 'sales_by_subcategory', excludes: ['subcategory'], reads: ['cells'], groups: ['product'], labels: { subcategory: 'subcategory', ...CATEGORY } },
    { id: 'sales-by-country', file: 'sales_by_country', excludes: ['country'], reads: ['cells', 'buyers'], groups: ['customer'], labels: { country: 'country' } },
  ],
  customers: [
    { id: 'orders-per-customer', file: 'orders_per_customer', reads: ['customer_counts'] },
    { id: 'customers-by-gender', file: 'customers_by_gender', excludes: ['gender'], reads: ['buyers', 'cells'], groups: ['customer'] },
    { id: 'customers-by-country', file: 'customers_by_country', excludes: ['country'], reads: ['buyers', 'cells'], groups: ['customer'] },
    { id: 'top-customers', file: 'top_customers', reads: ['top_customers'] },
    { id: 'new-customers', file: 'new_customers_by_month', excludes: ['date'], reads: ['first_orders'] },
    { id: 'repeat-customers', file: 'repeat_customers', reads: ['customer_counts'] },
  ],
  products: [
    { id: 'top-products-units', file: 'top_products_units', reads: ['product_cells'] },
    { id: 'top-products-revenue', file: 'top_products_revenue', reads: ['product_cells'] },
    { id: 'category-share', file: 'sales_by_category', excludes: ['category'], reads: ['cells'], groups: ['product'], labels: CATEGORY },
    { id: 'product-line-share', file: 'product_line_share', excludes: ['line'], reads: ['cells'], groups: ['product'] },
    { id: 'product-details', file: 'product_details', reads: ['product_cells'] },
  ],
  segments: [
    { id: 'value-segments', file: 'value_segments', excludes: ['segment'], reads: ['buyers', 'cells'], groups: ['customer'] },
    { id: 'rfm-segments', file: 'rfm_segments', excludes: ['rfm'], reads: ['buyers', 'cells'], groups: ['customer'] },
    { id: 'segment-customers', file: 'segment_customers', reads: ['top_customers'] },
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

/** One chart's query over the aggregates: its relations (CTEs), its text and parameters (the key of its remembered answer). */
interface Planned { ctes: Cte[]; sql: string; params: SqlValue[] }

/** A chart's query over the aggregates: its relations for its filters, then its own parameters. */
function aggregateQuery(dict: Dictionary, q: ChartQuery, req: PageRequest): Planned {
  const scope = scopeOf(dict, req.filters, q.excludes);
  const ctes = (q.reads ?? []).map((name) => relationSql(name, scope, q.groups));
  const { sql, params } = withCtes(chartSql(`aggregates/${q.file}`), ctes);
  return { ctes, sql, params: [...params, ...(q.params?.(req) ?? [])] };
}

/**
 * The one statement that answers the charts `open` (indexes into `planned`). Each
 * relation appears once in it, as a CTE, materialized when several charts read it alike.
 * The charts' rows come back as one result, `union all by name` of every chart's rows
 * under its own column names (`c<n>_<name>`, chart index in `chart`).
 */
function pageStatement(queries: ChartQuery[], planned: Planned[], open: number[], req: PageRequest): { sql: string; params: SqlValue[] } {
  const relations = new Map<string, { name: string; cte: Cte; uses: number }>();
  for (const i of open) {
    for (const c of planned[i].ctes) {
      const known = relations.get(c.key);
      if (known) known.uses++;
      else relations.set(c.key, { name: `relation_${relations.size}`, cte: c, uses: 1 });
    }
  }
  const head = [...relations.values()].map((r) => `${r.name} as ${r.uses > 1 ? 'materialized ' : ''}(\n${r.cte.sql}\n)`);
  const params: SqlValue[] = [...relations.values()].flatMap((r) => r.cte.params);
  const branches = open.map((i, n) => {
    const aliases = planned[i].ctes.map((c) => ({ ...c, sql: `select * from ${relations.get(c.key)!.name}`, params: [] }));
    params.push(...(queries[i].params?.(req) ?? []));
    return `select ${n}::utinyint as chart, columns(*) as 'c${n}_\\0' from (\n${withCtes(chartSql(`aggregates/${queries[i].file}`), aliases).sql}\n)`;
  });
  return { sql: `with\n${head.join(',\n')}\n${branches.join('\nunion all by name\n')}`, params };
}

/**
 * Answers the queries over the aggregates: remembered answers first; the others in one
 * statement (one plan and one result instead of one per chart: in the wasm engine each
 * statement costs milliseconds on its own), cheaper in the engine than one list of
 * structs per chart (a scalar subquery each), and read column by column from Arrow.
 */
async function queryAggregates(e: WasmEngine, oid: number, tables: object, dict: Dictionary, queries: ChartQuery[], req: PageRequest, timing: PageTiming): Promise<Row[][]> {
  let t = performance.now();
  const planned = queries.map((q) => aggregateQuery(dict, q, req));
  const answers = planned.map((p) => knownAnswer(e, oid, p.sql, p.params));
  const open = [...planned.keys()].filter((i) => answers[i] === undefined);
  timing.cached += queries.length - open.length;
  timing.queried += open.length;
  if (open.length === 0) {
    timing.planMs += performance.now() - t;
    return answers as Row[][];
  }
  const { sql: statement, params } = pageStatement(queries, planned, open, req);
  timing.planMs += performance.now() - t;
  t = performance.now();
  const result = runPrepared(e, tables, statement, params, timing);
  timing.sqlMs += performance.now() - t;
  t = performance.now();
  const split = splitCharts(result, open.length);
  for (const [n, i] of open.entries()) {
    answers[i] = withLabels(split[n], queries[i].labels, dict);
    rememberAnswer(e, oid, planned[i].sql, planned[i].params, answers[i]!);
  }
  timing.convertMs += performance.now() - t;
  return answers as Row[][];
}

/** The queries of a page answered over the aggregates, KPIs last (none on the quality page). */
function aggregateQueries(page: DashboardPageId): ChartQuery[] {
  const onBase = PAGE_QUERIES[page].filter((q) => q.base !== false);
  return onBase.length ? [...onBase, KPIS] : [];
}

/** Each chart's query over the aggregates for `req` (text and parameters: what its remembered answer is kept under). */
export function chartQueries(dict: Dictionary, req: PageRequest): Planned[] {
  return aggregateQueries(req.page).map((q) => aggregateQuery(dict, q, req));
}

/**
 * The text of the statement the page prepares for `req` when the engine is asked for the
 * charts `isOpen` says (the others answered from memory); undefined when it asks for none.
 */
export function pageStatementText(dict: Dictionary, req: PageRequest, isOpen: (query: { sql: string; params: SqlValue[] }, i: number) => boolean): string | undefined {
  const planned = chartQueries(dict, req);
  const open = [...planned.keys()].filter((i) => isOpen(planned[i], i));
  return open.length ? pageStatement(aggregateQueries(req.page), planned, open, req).sql : undefined;
}

/** The filters a page's charts show (a click on one of their marks filters by it). */
export function pageDimensions(page: DashboardPageId): FilterKey[] {
  return [...new Set(PAGE_QUERIES[page].flatMap((q) => q.excludes ?? []))];
}

/** The rows of each chart from the one result: column `chart` says whose row, `c<n>_<name>` are chart n's columns. */
function splitCharts(result: Table, charts: number): Row[][] {
  const out: Row[][] = Array.from({ length: charts }, () => []);
  const fields = result.schema.fields.map((f, i) => ({ i, m: /^c(\d+)_(.*)$/s.exec(f.name) })).filter((f) => f.m);
  const byChart: { name: string; column: Vector }[][] = Array.from({ length: charts }, () => []);
  for (const f of fields) byChart[Number(f.m![1])].push({ name: f.m![2], column: result.getChildAt(f.i)! });
  const chart = result.getChild('chart')!;
  for (let r = 0; r < result.numRows; r++) {
    const n = Number(chart.get(r));
    const row: Row = {};
    for (const c of byChart[n]) row[c.name] = plainValue(c.column.get(r));
    out[n].push(row);
  }
  return out;
}

const valuesByCode = new WeakMap<Dictionary, Partial<Record<DimensionKey, Map<number, string>>>>();

/** The value of each code column of `labels` in place of its code (the order of the rows is the engine's). */
function withLabels(rows: Row[], labels: Record<string, DimensionKey> | undefined, dict: Dictionary): Row[] {
  if (!labels) return rows;
  let values = valuesByCode.get(dict);
  if (!values) valuesByCode.set(dict, (values = {}));
  for (const [column, dim] of Object.entries(labels)) {
    const names = (values[dim] ??= new Map([...dict.codes[dim]].map(([value, code]) => [code, value])));
    for (const row of rows) row[column] = names.get(Number(row[column])) ?? null;
  }
  return rows;
}

/** The KPI row as numbers; an average over no lines is NULL: left out, the card shows a dash. */
function kpiNumbers(row: Row): Record<string, number> {
  return Object.fromEntries(Object.entries(row).filter(([, v]) => v !== null).map(([k, v]) => [k, Number(v)]));
}

/**
 * Runs every query of one page; the aggregates (or the base) are (re)built first when the
 * results changed (`onBuildStep` hears that build's steps). Answers are remembered per
 * results: a chart whose own filters did not change (the clicked chart, or a filter state
 * seen before) costs no query.
 */
export async function queryPage(e: WasmEngine, req: PageRequest, onBuildStep?: (done: number, total: number) => void): Promise<PageData> {
  const timing: PageTiming = { receivedAt: 0, lockedAt: 0, doneAt: 0, planMs: 0, sqlMs: 0, prepareMs: 0, convertMs: 0, cached: 0, queried: 0 };
  // The same list the statements prepared ahead are made from (./prepare-ahead.ts).
  const onBase = aggregateQueries(req.page);
  const usesBase = onBase.length > 0;
  const base = usesBase ? await ensureBase(e, onBuildStep) : { oid: await resultsOid(e), aggregates: null };
  const { oid } = base;
  const charts: Record<string, Row[]> = {};
  for (const q of PAGE_QUERIES[req.page].filter((q) => q.base === false)) charts[q.id] = await cachedQuery(e, oid, chartSql(q.file), []);
  if (!usesBase) return { page: req.page, kpis: null, charts, timing };
  let rows: Row[][];
  if (base.aggregates) rows = await queryAggregates(e, oid, base, base.aggregates, onBase, req, timing);
  else {
    rows = [];
    for (const q of onBase) {
      const { sql, params } = withLines(chartSql(q.file), req.filters, q.excludes);
      rows.push(await cachedQuery(e, oid, sql, [...params, ...(q.params?.(req) ?? [])]));
    }
  }
  for (const [i, q] of onBase.entries()) if (q !== KPIS) charts[q.id] = rows[i];
  return { page: req.page, kpis: kpiNumbers(rows[rows.length - 1][0]), charts, timing };
}
