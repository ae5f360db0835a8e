/**
 * Every chart of every dashboard page, computed from the aggregates under many filter
 * states, equals the same chart query run directly over the gold tables (the plain
 * query of each chart, its `lines` CTE a join of gold.fact_sales with the dimensions):
 * on generated data at scale 10 (600,000 sales lines, whose orders mix dated and
 * undated lines), and on data that rules the aggregates out (an order on two days),
 * where the dashboards read the plain base instead.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Row } from '../../src/duckdb/sql-engine.ts';
import { sampleFiles, sampleFileText } from '../../src/sample-data/generator.ts';
import type { DashboardPageId } from '../../src/shared/dashboard-pages.ts';
import { filtersToWhere, type DashboardFilters, type FilterKey } from '../../src/shared/filters.ts';
import { dropBase, ensureBase } from '../../src/workers/dashboards/base.ts';
import { chartSql, queryPage, type PageRequest } from '../../src/workers/dashboards/pages.ts';
import { runOnTexts, testEngine } from '../helpers/pipeline.ts';
import type { SourceId } from '../../src/pipeline/sources.ts';

/** The lines of the dashboards, straight from the gold tables. */
const GOLD_LINES = `select
    f.order_number, f.order_date, f.sales_amount, f.quantity, f.customer_key, f.product_key,
    coalesce(p.product_name, 'n/a') as product_name, coalesce(p.category, 'n/a') as category,
    coalesce(p.subcategory, 'n/a') as subcategory, coalesce(p.product_line, 'n/a') as product_line,
    coalesce(c.country, 'n/a') as country, coalesce(c.gender, 'n/a') as gender, coalesce(c.marital_status, 'n/a') as marital_status,
    coalesce(s.value_segment, 'n/a') as value_segment, coalesce(s.rfm_segment, 'n/a') as rfm_segment,
from gold.fact_sales as f
left join gold.dim_products as p on p.product_key = f.product_key
left join gold.dim_customers as c on c.customer_key = f.customer_key
left join segmentation.customer_segments as s on s.customer_key = f.customer_key`;

/** Each chart of a page: its SQL file and the filters it leaves out (as in src/workers/dashboards/pages.ts). */
const CHARTS: Record<Exclude<DashboardPageId, 'quality'>, [string, string, FilterKey[]][]> = {
  executive: [
    ['sales-over-time', 'sales_over_time', ['date']], ['sales-by-category', 'sales_by_category', ['category']],
    ['sales-by-subcategory', 'sales_by_subcategory', ['subcategory']], ['sales-by-country', 'sales_by_country', ['country']],
  ],
  customers: [
    ['orders-per-customer', 'orders_per_customer', []], ['customers-by-gender', 'customers_by_gender', ['gender']],
    ['customers-by-country', 'customers_by_country', ['country']], ['top-customers', 'top_customers', []],
    ['new-customers', 'new_customers_by_month', ['date']], ['repeat-customers', 'repeat_customers', []],
  ],
  products: [
    ['top-products-units', 'top_products_units', []], ['top-products-revenue', 'top_products_revenue', []],
    ['category-share', 'sales_by_category', ['category']], ['product-line-share', 'product_line_share', ['line']],
    ['product-details', 'product_details', []],
  ],
  segments: [
    ['value-segments', 'value_segments', ['segment']], ['rfm-segments', 'rfm_segments', ['rfm']],
    ['segment-customers', 'segment_customers', []],
  ],
};

/** The chart's plain query over the gold lines under the filters it applies. */
async function reference(file: string, filters: DashboardFilters, excludes: FilterKey[], extra: string[]): Promise<Row[]> {
  const where = filtersToWhere(filters, excludes);
  const body = chartSql(file).replace(/^(\s*--[^\n]*\n)*/, '').replaceAll('temp.dash_products', 'gold.dim_products');
  const lines = `lines as (select * from (${GOLD_LINES}) ${where.sql})`;
  const sql = /^with\s/i.test(body) ? body.replace(/^with\s+/i, `with ${lines},\n`) : `with ${lines}\n${body}`;
  return (await testEngine()).query(sql, [...where.params, ...extra]);
}

async function referenceKpis(filters: DashboardFilters): Promise<Record<string, number>> {
  const [row] = await reference('kpis', filters, [], []);
  return Object.fromEntries(Object.entries(row).filter(([, v]) => v !== null).map(([k, v]) => [k, Number(v)]));
}

/** Equal rows in the same order; amounts (doubles) may differ in the last bits of a sum. */
function expectSameRows(shown: Row[], expected: Row[], what: string): void {
  expect(shown.length, `${what}: rows`).toBe(expected.length);
  shown.forEach((row, i) => {
    expect(Object.keys(row).sort(), `${what}: columns`).toEqual(Object.keys(expected[i]).sort());
    for (const [k, v] of Object.entries(expected[i])) {
      const got = row[k];
      if (typeof v === 'number' && typeof got === 'number') expect(Math.abs(got - v), `${what}: row ${i} ${k} ${got} vs ${v}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(v)));
      else expect(got, `${what}: row ${i} ${k}`).toEqual(v);
    }
  });
}

async function expectPageExact(page: Exclude<DashboardPageId, 'quality'>, filters: DashboardFilters, grain: PageRequest['grain'] = 'month'): Promise<void> {
  const data = await queryPage(await testEngine(), { page, filters, grain });
  const what = `${page} ${JSON.stringify(filters)}`;
  for (const [id, file, excludes] of CHARTS[page]) {
    expectSameRows(data.charts[id], await reference(file, filters, excludes, id === 'sales-over-time' ? [grain] : []), `${what} ${id}`);
  }
  const kpis = await referenceKpis(filters);
  expect(Object.keys(data.kpis ?? {}).sort(), `${what} kpis`).toEqual(Object.keys(kpis).sort());
  for (const [k, v] of Object.entries(kpis)) expect(Math.abs((data.kpis?.[k] ?? NaN) - v), `${what} ${k}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(v)));
}

/** Filter states of every kind: slicer values, bar clicks, date ranges on and off month ends, values that do not occur. */
const STATES: DashboardFilters[] = [
  { values: {} },
  { values: { country: ['Germany'] } },
  { values: { category: ['Bikes'], gender: ['Female'] } },
  { values: { subcategory: ['Road Bikes', 'Helmets'], segment: ['High'] } },
  { from: '2012-03-01', to: '2013-02-28', values: { line: ['Road'] } },
  { from: '2012-03-17', to: '2013-01-09', values: { country: ['United States', 'Canada'], rfm: ['Champions', 'At Risk'] } },
  { from: '2013-06-05', to: '2013-06-20', values: { marital: ['Married'] } },
  { from: '2013-01-15', values: { category: ['Accessories', 'Clothing'] } },
  { to: '2012-11-30', values: { segment: ['Low', 'Medium'], gender: ['Male'] } },
  { from: '2012-10-02', to: '2013-12-30', values: { category: ['Bikes'], line: ['Mountain', 'Touring'], country: ['Australia'], rfm: ['Loyal Customers', 'n/a'] } },
  { values: { country: ['Atlantis'] } },
  // customer filters alone over several combinations of codes: the customer lists come from each combination's top buyers
  { values: { country: ['Germany', 'France'], marital: ['Single'], rfm: ['Champions', 'Hibernating', 'n/a'] } },
  // a product filter without a date range: customers counted by their mask of classes bought
  { values: { subcategory: ['Mountain Bikes', 'Tires and Tubes'], country: ['Canada'] } },
  // end days from the cubes by day: a date range alone, both ends mid-month, across two years
  { from: '2011-11-11', to: '2013-02-14', values: {} },
  // two partial months and no whole one, across a year, under customer filters (the customer cube by day)
  { from: '2012-12-20', to: '2013-01-10', values: { country: ['Germany', 'France'], gender: ['Female'] } },
  // a range inside one month under a product filter (the product cubes by day)
  { from: '2013-05-06', to: '2013-05-27', values: { category: ['Bikes', 'Clothing'] } },
  // a product filter across a year, both ends mid-month
  { from: '2012-06-10', to: '2013-03-20', values: { subcategory: ['Road Bikes'], line: ['Road'] } },
  // product filters over several classes: an order holding two of them counts once per customer
  { values: { category: ['Accessories'] } },
  { values: { line: ['Touring', 'Road'], segment: ['High'] } },
  // ... lines of no known product (class n/a) and customers without attributes (n/a codes)
  { values: { line: ['n/a'], country: ['n/a', 'Germany'] } },
  { from: '2012-01-15', to: '2013-06-14', values: { line: ['n/a'], gender: ['n/a', 'Female'] } },
  // ... partial months at both ends, an open start or end, no whole month at all
  { from: '2011-12-04', values: { subcategory: ['Jackets', 'Helmets'] } },
  { to: '2013-02-10', values: { category: ['Accessories', 'Bikes'], rfm: ['n/a', 'Champions'] } },
  { from: '2012-12-20', to: '2013-01-10', values: { category: ['Clothing'], marital: ['Single'] } },
  { from: '2012-02-03', values: { subcategory: ['No Such Subcategory'] } },
  // a date range under filters on one customer dimension: the month cubes that keep that dimension alone
  { from: '2011-07-30', to: '2013-07-11', values: { marital: ['Single'] } },
  { from: '2012-02-01', values: { rfm: ['Champions', 'n/a'], category: ['Bikes'] } },
];

describe('dashboards over the aggregates, at scale 10', () => {
  beforeAll(async () => {
    const texts = Object.fromEntries(sampleFiles({ scale: 10 }).map((f) => [f.source, sampleFileText(f)])) as Record<SourceId, string>;
    const { report } = await runOnTexts(texts, { runDate: '2026-02-01' });
    expect(report.state, report.error).toBe('success');
    const { aggregates } = await ensureBase(await testEngine());
    expect(aggregates, 'the aggregates were built').not.toBeNull();
    expect(aggregates?.firstMonth, 'date ranges read the buyers\' month bits').not.toBeNull();
  }, 900_000);

  for (const page of ['executive', 'customers', 'products', 'segments'] as const) {
    it(`every chart of ${page} equals the plain query over gold, under ${STATES.length} filter states`, { timeout: 900_000 }, async () => {
      for (const filters of STATES) await expectPageExact(page, filters);
      if (page === 'executive') await expectPageExact(page, STATES[5], 'year');
    });
  }

  it('customers of a list not in the table of names are named from the gold tables', { timeout: 900_000 }, async () => {
    const e = await testEngine();
    const [before] = await e.query<{ n: number }>('select count(*)::integer as n from temp.dash_names');
    await e.query('delete from temp.dash_names where customer_key % 2 = 0');
    const [after] = await e.query<{ n: number }>('select count(*)::integer as n from temp.dash_names');
    expect(after.n).toBeGreaterThan(0);
    expect(after.n).toBeLessThan(before.n);
    // states not asked before (no remembered answer): customer filters only, a product filter, a date range
    const states: DashboardFilters[] = [
      { values: { rfm: ['Champions'], gender: ['Female'] } },
      { values: { category: ['Clothing'], marital: ['Married'] } },
      { from: '2012-05-01', to: '2012-11-15', values: { country: ['Canada'] } },
    ];
    for (const page of ['customers', 'segments'] as const) for (const filters of states) await expectPageExact(page, filters);
  });
});

describe('lines of no known product or customer', () => {
  it('count in the customer charts under product filters and date ranges exactly as over gold', async () => {
    const texts = Object.fromEntries(sampleFiles({ scale: 0.05 }).map((f) => [f.source, sampleFileText(f)])) as Record<SourceId, string>;
    const lines = texts.crm_sales_details.split('\n');
    // Every 7th line's product and the customer of every 11th order exist nowhere else.
    texts.crm_sales_details = lines.map((line, i) => {
      if (i === 0 || !line.trim()) return line;
      const cells = line.split(',');
      if (i % 7 === 0) cells[1] = 'ZZ-NO-SUCH-PRODUCT';
      if (Number(cells[0].replace(/\D/g, '')) % 11 === 0) cells[2] = '999999999';
      return cells.join(',');
    }).join('\n');
    const { report } = await runOnTexts(texts, { runDate: '2026-02-01' });
    expect(report.state, report.error).toBe('success');
    const e = await testEngine();
    const [gold] = await e.query<{ no_product: number; no_customer: number }>(
      'select count(*) filter (where product_key is null)::integer as no_product, count(*) filter (where customer_key is null)::integer as no_customer from gold.fact_sales',
    );
    expect(gold.no_product).toBeGreaterThan(0);
    expect(gold.no_customer).toBeGreaterThan(0);
    await dropBase(e);
    expect((await ensureBase(e)).aggregates).not.toBeNull();
    const states: DashboardFilters[] = [
      { values: { category: ['n/a'] } },
      { values: { line: ['n/a', 'Touring'] } },
      { from: '2012-03-17', to: '2013-01-09', values: { category: ['n/a', 'Bikes'] } },
      { from: '2012-12-20', to: '2013-01-10', values: { subcategory: ['n/a'] } },
    ];
    for (const page of ['customers', 'segments'] as const) for (const filters of states) await expectPageExact(page, filters);
  }, 300_000);
});

describe('data the aggregates cannot answer exactly', () => {
  it('an order on two days: the dashboards read the plain base, and agree with gold', async () => {
    const texts = Object.fromEntries(sampleFiles({ scale: 0.05 }).map((f) => [f.source, sampleFileText(f)])) as Record<SourceId, string>;
    const lines = texts.crm_sales_details.split('\n');
    // The second line's order, again on another day.
    const cells = lines[1].split(',');
    const moved = [...cells];
    moved[3] = cells[3].trim() === '20130115' ? '20130116' : '20130115';
    texts.crm_sales_details = [...lines.slice(0, 2), moved.join(','), ...lines.slice(2)].join('\n');
    const { report } = await runOnTexts(texts, { runDate: '2026-02-01' });
    expect(report.state, report.error).toBe('success');
    const e = await testEngine();
    await dropBase(e);
    expect((await ensureBase(e)).aggregates).toBeNull();
    for (const filters of [STATES[0], STATES[5], STATES[7]]) await expectPageExact('executive', filters);
  }, 300_000);
});
