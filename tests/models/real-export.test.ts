/**
 * The pipeline on the real export in ../shared/datasets/retail-dw (read in place, never copied):
 * invariants of the star schema, KPIs and segments, and the headline figures (overview, sales by
 * country and category, dim_products, value cut-offs, value and RFM segments) against values
 * worked out independently in plain TypeScript from the raw CSVs (tests/fixtures/retail-reference.ts).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { expandInputs, inspectPath, registerInputFiles, REPO_ROOT } from '../../src/cli/node-inputs.ts';
import { runPipeline } from '../../src/pipeline/runner.ts';
import type { RunReport } from '../../src/pipeline/types.ts';
import { referenceFigures, type Reference } from '../fixtures/retail-reference.ts';
import { rows, shippedModels, testEngine } from '../helpers/pipeline.ts';

const DATASET = path.resolve(REPO_ROOT, '../shared/datasets/retail-dw');
const SALES_LINES = 60_398;

/** The data lines of a CSV without quoted fields (the real export has none), split into trimmed-free cells by header name. */
async function readCsv(file: string): Promise<Record<string, string>[]> {
  const text = await readFile(path.join(DATASET, file), 'utf8');
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  expect(text.includes('"')).toBe(false); // the split below would be wrong with quotes
  const header = lines[0].split(',').map((h) => h.trim().toLowerCase());
  return lines.slice(1).map((line) => {
    const cells = line.split(',');
    expect(cells).toHaveLength(header.length);
    return Object.fromEntries(header.map((h, i) => [h, cells[i]]));
  });
}

/** A number as DuckDB's try_cast(trim(x) as double) reads it; NULL for empty or not a number. */
function num(raw: string | undefined): number | null {
  const t = (raw ?? '').trim();
  if (t === '') return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

let report: RunReport;
let reference: Reference;
const independent = { salesLines: 0, totalSales: 0, totalUnits: 0, totalOrders: 0, customers: 0 };

beforeAll(async () => {
  const files = await expandInputs([DATASET]);
  const engine = await testEngine();
  const inputs = registerInputFiles(engine, await Promise.all(files.map((f) => inspectPath(f))));
  report = await runPipeline({ engine, models: await shippedModels(), inputs, runDate: '2026-11-26' });
  reference = referenceFigures(DATASET);

  // Independent computation from the raw CSVs.
  const sales = await readCsv('source_crm/sales_details.csv');
  const orders = new Set<string>();
  for (const line of sales) {
    const quantity = num(line.sls_quantity)!;
    const price = num(line.sls_price);
    let amount = num(line.sls_sales);
    // sales = quantity × |price| when missing, ≤ 0 or not equal to it (needs a price)
    if (price !== null && (amount === null || amount <= 0 || amount !== quantity * Math.abs(price))) amount = quantity * Math.abs(price);
    independent.totalSales += amount ?? 0;
    independent.totalUnits += quantity;
    orders.add(line.sls_ord_num.trim());
  }
  independent.salesLines = sales.length;
  independent.totalOrders = orders.size;

  const customers = await readCsv('source_crm/cust_info.csv');
  independent.customers = new Set(customers.filter((c) => /^[+-]?\d+$/.test(c.cst_id.trim())).map((c) => Number(c.cst_id))).size;
}, 120_000);

describe('the real export', () => {
  it('is read in place from the shared dataset folder, six files', () => {
    expect(report.inputs.map((i) => [i.name, i.source])).toEqual([
      ['cust_info.csv', 'crm_cust_info'],
      ['prd_info.csv', 'crm_prd_info'],
      ['sales_details.csv', 'crm_sales_details'],
      ['CUST_AZ12.csv', 'erp_cust_az12'],
      ['LOC_A101.csv', 'erp_loc_a101'],
      ['PX_CAT_G1V2.csv', 'erp_px_cat_g1v2'],
    ]);
  });

  it('runs to success with no error findings', () => {
    expect(report.error).toBeUndefined();
    expect(report.state).toBe('success');
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('fact rows = sales lines in the file = silver sales rows', async () => {
    expect(independent.salesLines).toBe(SALES_LINES);
    const [r] = await rows(`
      select (select count(*) from gold.fact_sales)::integer as fact, (select count(*) from silver.crm_sales_details)::integer as silver,
        (select count(*) from bronze.crm_sales_details)::integer as bronze`);
    expect(r).toEqual({ fact: SALES_LINES, silver: SALES_LINES, bronze: SALES_LINES });
    expect(report.tables['gold.fact_sales']).toBe(SALES_LINES);
  });

  it('no orphan keys: every key in the fact exists in its dimension, and a line is NULL-keyed only where the dimension lacks it', async () => {
    const [r] = await rows(`
      select
        (select count(*) from gold.fact_sales where product_key is not null
           and product_key not in (select product_key from gold.dim_products))::integer as orphan_products,
        (select count(*) from gold.fact_sales where customer_key is not null
           and customer_key not in (select customer_key from gold.dim_customers))::integer as orphan_customers,
        (select count(*) from gold.fact_sales where product_key is null)::integer as null_products,
        (select count(*) from silver.crm_sales_details
           where sls_prd_key not in (select product_number from gold.dim_products))::integer as unknown_products,
        (select count(*) from gold.fact_sales where customer_key is null)::integer as null_customers,
        (select count(*) from silver.crm_sales_details
           where sls_cust_id is null or sls_cust_id not in (select customer_id from gold.dim_customers))::integer as unknown_customers`);
    expect(r.orphan_products).toBe(0);
    expect(r.orphan_customers).toBe(0);
    expect(r.null_products).toBe(r.unknown_products);
    expect(r.null_customers).toBe(r.unknown_customers);
  });

  it('dim_customers: one row per customer_id, customer_key is 1..n, n = distinct numeric cst_id in the raw file', async () => {
    const [r] = await rows(`
      select count(*)::integer as n, count(distinct customer_id)::integer as ids, count(distinct customer_key)::integer as keys,
        min(customer_key)::integer as min_key, max(customer_key)::integer as max_key,
        count(*) filter (where customer_key <> rn)::integer as out_of_order
      from (select *, row_number() over (order by customer_id) as rn from gold.dim_customers)`);
    expect(r).toEqual({ n: independent.customers, ids: independent.customers, keys: independent.customers, min_key: 1, max_key: independent.customers, out_of_order: 0 });
    expect(independent.customers).toBe(18_484);
  });

  it('kpi.overview equals the plain TypeScript computation from the raw CSV (sales, units, orders)', async () => {
    const [o] = await rows('select total_sales::double as total_sales, total_units::bigint as total_units, total_orders::bigint as total_orders from kpi.overview');
    expect(o).toEqual({ total_sales: independent.totalSales, total_units: independent.totalUnits, total_orders: independent.totalOrders });
    expect(independent).toMatchObject({ totalSales: 29_356_250, totalUnits: 60_423, totalOrders: 27_659 });
  });

  it('category, subcategory, country, month, year, product-line (and the other) breakdowns add up to the overview total', async () => {
    const tables = ['category', 'subcategory', 'country', 'month', 'year', 'product_line', 'product', 'gender', 'marital_status'];
    const sums = await rows(`
      select t, sales, (select total_sales from kpi.overview)::double as total from (
        ${tables.map((t) => `select '${t}' as t, sum(sales)::double as sales from kpi.sales_by_${t}`).join(' union all ')})`);
    expect(sums).toHaveLength(tables.length);
    for (const s of sums) {
      expect(Math.abs(Number(s.sales) - Number(s.total)), `kpi.sales_by_${s.t}`).toBeLessThan(0.01);
      expect(s.total).toBe(independent.totalSales);
    }
  });

  it('kpi.sales_by_month: every month lies between the first and last order, or is NULL (lines without an order date)', async () => {
    const [r] = await rows(`
      select count(*) filter (where month is null)::integer as null_months,
        count(*) filter (where month < date_trunc('month', o.first_order_date) or month > o.last_order_date)::integer as outside,
        string_agg(month::varchar, ', ') filter (where month < date_trunc('month', o.first_order_date) or month > o.last_order_date) as outside_months
      from kpi.sales_by_month cross join kpi.overview o`);
    const [{ undated }] = await rows('select count(*)::integer as undated from gold.fact_sales where order_date is null');
    expect(undated).toBe(19);
    expect(r).toEqual({ null_months: 1, outside: 0, outside_months: null });
  });

  it('segments: one row per buying customer', async () => {
    const [r] = await rows(`
      select (select count(distinct customer_key) from gold.fact_sales where customer_key is not null)::integer as buyers,
        (select count(*) from segmentation.customer_segments)::integer as segment_rows,
        (select count(distinct customer_key) from segmentation.customer_segments)::integer as distinct_keys`);
    expect(r.segment_rows).toBe(r.buyers);
    expect(r.distinct_keys).toBe(r.buyers);
  });

  it('segments: every High ≥ the high cut-off, every Medium in [medium, high), every Low below medium', async () => {
    const [r] = await rows(`
      select count(distinct high_cutoff)::integer as highs, count(distinct medium_cutoff)::integer as mediums,
        count(*) filter (where value_segment <> case when total_sales >= high_cutoff then 'High'
          when total_sales >= medium_cutoff then 'Medium' else 'Low' end)::integer as wrong
      from segmentation.customer_segments`);
    expect(r).toEqual({ highs: 1, mediums: 1, wrong: 0 });
  });

  it('segments: lifetime sales add up to the sales of known customers', async () => {
    const [r] = await rows(`
      select (select sum(total_sales) from segmentation.customer_segments)::double as segments,
        (select sum(sales_amount) from gold.fact_sales where customer_key is not null)::double as known`);
    expect(Math.abs(Number(r.segments) - Number(r.known))).toBeLessThan(0.01);
  });
});

/** Rows of a two-column query as a map. */
async function mapOf(sql: string): Promise<Map<string, number>> {
  return new Map((await rows(sql)).map((r) => [String(r.k), Number(r.v)]));
}

describe('the real export\'s headline figures, against values worked out from the raw CSVs', () => {
  it('the independent computation gives the figures pinned here (so a change to it shows)', () => {
    // Worked out by referenceFigures() from the six raw files and the README's rules, without DuckDB.
    expect(reference.dimProducts).toBe(295);
    expect(reference.totals).toEqual({
      sales: 29_356_250, units: 60_423, orders: 27_659, customers: 18_484,
      avgOrderValue: 29_356_250 / 27_659, avgUnitPrice: 29_356_250 / 60_423,
    });
    expect([reference.highCutoff, reference.mediumCutoff]).toEqual([1760, 70]);
    expect(Object.fromEntries(reference.valueSegments)).toEqual({ High: 6287, Medium: 6372, Low: 5825 });
    expect(Object.fromEntries(reference.salesByCategory)).toEqual({ Bikes: 2_831_627_200, Accessories: 70_026_200, Clothing: 33_971_600 });
    expect(Object.fromEntries(reference.rfmSegments)).toEqual({
      'Champions': 2113, 'Loyal Customers': 2735, 'Potential Loyalists': 2832, 'New Customers': 1252,
      'Need Attention': 2158, 'At Risk': 1938, 'Cannot Lose Them': 2235, 'Hibernating': 3221,
    });
  });

  it('gold.dim_products: one row per current product', async () => {
    expect(await rows('select count(*)::integer as n from gold.dim_products')).toEqual([{ n: reference.dimProducts }]);
  });

  it('kpi.overview: sales, units, orders, customers who bought, average order value, average unit price', async () => {
    const [o] = await rows(`select total_sales::double as sales, total_units::bigint as units, total_orders::bigint as orders,
      total_customers::bigint as customers, avg_order_value::double as aov, avg_unit_price::double as aup from kpi.overview`);
    const t = reference.totals;
    expect(o).toEqual({ sales: t.sales, units: t.units, orders: t.orders, customers: t.customers, aov: t.avgOrderValue, aup: t.avgUnitPrice });
  });

  it('kpi.sales_by_country and kpi.sales_by_category: every group and its sales', async () => {
    const cents = (m: Map<string, number>) => new Map([...m].map(([k, v]) => [k, Math.round(v * 100)]));
    expect(cents(await mapOf('select country as k, sales as v from kpi.sales_by_country'))).toEqual(reference.salesByCountry);
    expect(cents(await mapOf('select category as k, sales as v from kpi.sales_by_category'))).toEqual(reference.salesByCategory);
  });

  it('segments: value cut-offs (66th/33rd continuous percentiles of lifetime sales) and customers per value segment', async () => {
    const [c] = await rows('select distinct high_cutoff::double as high, medium_cutoff::double as medium from segmentation.customer_segments');
    expect(c.high).toBeCloseTo(reference.highCutoff, 9);
    expect(c.medium).toBeCloseTo(reference.mediumCutoff, 9);
    expect(await mapOf('select value_segment as k, count(*) as v from segmentation.customer_segments group by 1'))
      .toEqual(reference.valueSegments);
  });

  it('segments: RFM scores spread over five quintiles despite ties, and every named segment has customers', async () => {
    for (const [column, expected] of Object.entries({ recency_score: reference.scoreCounts.r, frequency_score: reference.scoreCounts.f, monetary_score: reference.scoreCounts.m })) {
      const counts = await mapOf(`select ${column} as k, count(*) as v from segmentation.customer_segments group by 1`);
      expect([1, 2, 3, 4, 5].map((s) => counts.get(String(s)) ?? 0), column).toEqual(expected);
    }
    const named = await mapOf('select rfm_segment as k, count(*) as v from segmentation.customer_segments group by 1');
    expect(named).toEqual(reference.rfmSegments);
    expect([...named.keys()].sort()).toEqual(['At Risk', 'Cannot Lose Them', 'Champions', 'Hibernating', 'Loyal Customers',
      'Need Attention', 'New Customers', 'Potential Loyalists']);
  });
});
