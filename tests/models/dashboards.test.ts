/**
 * Dashboard queries on a small fixture: every figure worked out by hand below, filters
 * bound as parameters (hostile values included), cross-filtering, the base rebuilt
 * for new results, and agreement with the KPI models.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { DashboardFilters } from '../../src/shared/filters.ts';
import { cellText, rowsToCsv } from '../../src/lib/dashboards/cells.ts';
import { CHARTS } from '../../src/lib/dashboards/charts.ts';
import { formatCompact } from '../../src/lib/dashboards/format.ts';
import { insightSentences } from '../../src/lib/dashboards/insights.ts';
import { markSelected, pickRow } from '../../src/lib/dashboards/selection.ts';
import { dropBase } from '../../src/workers/dashboards/base.ts';
import { queryInsightFigures, queryOptions } from '../../src/workers/dashboards/options.ts';
import { queryPage, type PageData, type PageRequest } from '../../src/workers/dashboards/pages.ts';
import { rows, runOnTexts, testEngine } from '../helpers/pipeline.ts';

const csv = (...lines: string[]) => `${lines.join('\n')}\n`;

// 11000 Australia, 11001 Germany (DE), 11002 O'Brien, United States (US), female from the ERP,
// 11003 no location (n/a) with an older duplicate record that silver drops.
const CUST_INFO = csv(
  'cst_id,cst_key,cst_firstname,cst_lastname,cst_marital_status,cst_gndr,cst_create_date',
  '11000,AW00011000,Jon,Yang,M,M,2010-10-06',
  '11001,AW00011001,Eugene,Huang,S,F,2010-10-06',
  "11002,AW00011002,Ruben,O'Brien,M,,2010-10-06",
  '11003,AW00011003,Christy,Zhu,S,M,2010-10-06',
  '11003,AW00011003,Christy,Zhu,S,M,2009-01-01',
);
const CUST_AZ12 = csv('CID,BDATE,GEN', 'NASAW00011002,1971-02-09,Female');
const LOC_A101 = csv('CID,CNTRY', 'AW-00011000,Australia', 'AW-00011001,DE', 'AW-00011002,US');
const PRD_INFO = csv(
  'prd_id,prd_key,prd_nm,prd_cost,prd_line,prd_start_dt,prd_end_dt',
  '310,BI-RB-BK-R93R-62,Road-150 Red- 62,2171,R,2011-07-01,',
  '300,BI-MB-BK-M82S-44,Mountain-100 Silver- 44,1898,M,2011-07-01,',
  '213,AC-HE-HL-U509-R,Sport-100 Helmet- Red,14,S,2012-07-01,',
);
const PX_CAT = csv('ID,CAT,SUBCAT,MAINTENANCE', 'AC_HE,Accessories,Helmets,No', 'BI_RB,Bikes,Road Bikes,Yes', 'BI_MB,Bikes,Mountain Bikes,Yes');
const SALES = csv(
  'sls_ord_num,sls_prd_key,sls_cust_id,sls_order_dt,sls_ship_dt,sls_due_dt,sls_sales,sls_quantity,sls_price',
  'SO1,BK-R93R-62,11000,20101229,20110105,20110110,3578,1,3578', // Australia, Bikes/Road
  'SO2,BK-M82S-44,11001,20110115,20110122,20110127,3400,1,3400', // Germany, Bikes/Mountain
  'SO2,HL-U509-R,11001,20110115,20110122,20110127,70,2,35', //     Germany, Accessories/Other Sales
  'SO3,HL-U509-R,11002,20110301,20110308,20110313,35,1,35', //     United States, Accessories
  'SO4,BK-R93R-62,11002,20120610,20120617,20120622,7156,2,3578', // United States, Bikes/Road
  'SO5,HL-U509-R,11003,20120720,20120727,20120801,105,3,35', //    n/a, Accessories
  'SO6,BK-M82S-44,11001,0,20120727,20120801,3400,1,3400', //       Germany, Bikes, no valid order date
  'SO7,XX-9999,11000,20121001,20121008,20121013,10,1,10', //       Australia, unknown product: n/a
);
const FIXTURE = {
  crm_cust_info: CUST_INFO, crm_prd_info: PRD_INFO, crm_sales_details: SALES,
  erp_cust_az12: CUST_AZ12, erp_loc_a101: LOC_A101, erp_px_cat_g1v2: PX_CAT,
};

const NONE: DashboardFilters = { values: {} };

async function page(req: Partial<PageRequest> & Pick<PageRequest, 'page'>): Promise<PageData> {
  return queryPage(await testEngine(), { filters: NONE, grain: 'month', ...req });
}

async function kpis(filters: DashboardFilters): Promise<Record<string, number> | null> {
  return (await page({ page: 'executive', filters })).kpis;
}

beforeAll(async () => {
  const { report } = await runOnTexts(FIXTURE);
  expect(report.state, report.error).toBe('success');
});

describe('KPIs under filters', () => {
  it('without filters they equal the KPI model', async () => {
    const [overview] = await rows('select * exclude (first_order_date, last_order_date) from kpi.overview');
    const shown = await kpis(NONE);
    expect(shown).toEqual({
      total_sales: 17754, total_units: 12, total_orders: 7, total_customers: 4,
      avg_order_value: 17754 / 7, avg_unit_price: 17754 / 12,
    });
    for (const [k, v] of Object.entries(overview)) expect(shown?.[k]).toBeCloseTo(Number(v), 9);
  });

  it('one country: Germany (DE in the ERP) has SO2 and SO6', async () => {
    expect(await kpis({ values: { country: ['Germany'] } })).toMatchObject({ total_sales: 6870, total_units: 4, total_orders: 2, total_customers: 1 });
  });

  it('one category and one year: Bikes in 2011 is SO2 alone; lines without a date fall out', async () => {
    const filters: DashboardFilters = { from: '2011-01-01', to: '2011-12-31', values: { category: ['Bikes'] } };
    expect(await kpis(filters)).toMatchObject({ total_sales: 3400, total_units: 1, total_orders: 1, total_customers: 1, avg_unit_price: 3400 });
  });

  it('values of one dimension add up; dimensions narrow each other', async () => {
    expect((await kpis({ values: { country: ['Germany', 'United States'] } }))?.total_sales).toBe(6870 + 35 + 7156);
    expect((await kpis({ values: { country: ['United States'], category: ['Accessories'] } }))?.total_sales).toBe(35);
    expect((await kpis({ values: { category: ['n/a'] } }))?.total_sales).toBe(10);
    expect((await kpis({ values: { gender: ['Female'], segment: ['High', 'Medium', 'Low'] } }))?.total_customers).toBe(2);
  });

  it('hostile values are data, not SQL: nothing matches and nothing is dropped', async () => {
    for (const value of ["O'Brien", "'); drop table gold.fact_sales; --", "' or '1'='1"]) {
      expect(await kpis({ values: { country: [value], rfm: [value] } })).toEqual({ total_sales: 0, total_units: 0, total_orders: 0, total_customers: 0 });
    }
    const [{ n }] = await rows('select count(*)::integer as n from gold.fact_sales');
    expect(n).toBe(8);
  });
});

describe('charts', () => {
  it('a chart does not filter by its own dimension: the other categories stay, under the country filter', async () => {
    const data = await page({ page: 'executive', filters: { values: { category: ['Bikes'], country: ['Germany'] } } });
    expect(data.charts['sales-by-category']).toEqual([
      { category: 'Bikes', sales: 6800, units: 2, share: 6800 / 6870 },
      { category: 'Accessories', sales: 70, units: 2, share: 70 / 6870 },
    ]);
    // The country chart keeps every country, under the category filter.
    expect(data.charts['sales-by-country'].map((r) => [r.country, r.sales])).toEqual([['United States', 7156], ['Germany', 6800], ['Australia', 3578]]);
  });

  it('sales over time by year leaves out lines without a date and ignores the date filter', async () => {
    const data = await page({ page: 'executive', grain: 'year', filters: { from: '2011-01-01', to: '2011-12-31', values: {} } });
    expect(data.charts['sales-over-time'].map((r) => [r.period, r.sales])).toEqual([['2010-01-01', 3578], ['2011-01-01', 3505], ['2012-01-01', 7271]]);
    expect(data.kpis?.total_sales).toBe(3505);
  });

  it('customer insights: orders per customer, repeat vs one-time, new customers, top customers', async () => {
    const data = await page({ page: 'customers' });
    expect(data.charts['orders-per-customer']).toEqual([{ orders: 1, customers: 1, sales: 105 }, { orders: 2, customers: 3, sales: 17649 }]);
    expect(data.charts['repeat-customers'].map((r) => [r.customer_type, r.customers, r.sales])).toEqual([['Repeat', 3, 17649], ['One-time', 1, 105]]);
    expect(data.charts['new-customers'].map((r) => [r.period, r.new_customers])).toEqual([['2010-12-01', 1], ['2011-01-01', 1], ['2011-03-01', 1], ['2012-07-01', 1]]);
    expect(data.charts['top-customers'][0]).toMatchObject({ customer: "Ruben O'Brien (AW00011002)", country: 'United States', sales: 7191, orders: 2 });
    expect(data.charts['customers-by-gender'].map((r) => [r.gender, r.customers])).toEqual([['Female', 2], ['Male', 2]]);
  });

  it('products: top lists, shares, and the details table agree with the totals', async () => {
    const data = await page({ page: 'products' });
    expect(data.charts['top-products-units'][0]).toEqual({ product_name: 'Sport-100 Helmet- Red', units: 6, sales: 210 });
    expect(data.charts['top-products-revenue'][0]).toEqual({ product_name: 'Road-150 Red- 62', sales: 10734, units: 3 });
    expect(data.charts['product-line-share'].map((r) => r.product_line)).toEqual(['Road', 'Mountain', 'Other Sales', 'n/a']);
    const details = data.charts['product-details'];
    expect(details.map((r) => r.product_id)).toEqual([310, 300, 213, null]);
    expect(details.reduce((s, r) => s + Number(r.sales), 0)).toBe(data.kpis?.total_sales);
  });

  it('segments: one row per value segment with its cut-offs, and the customer list of a segment', async () => {
    const data = await page({ page: 'segments', filters: { values: { segment: ['High'] } } });
    const segments = data.charts['value-segments'];
    expect(segments.map((r) => r.value_segment)).toEqual(['High', 'Medium', 'Low']);
    expect(segments.reduce((s, r) => s + Number(r.customers), 0)).toBe(4);
    expect(segments[0].cutoff_from).toBeGreaterThan(Number(segments[1].cutoff_from));
    const list = data.charts['segment-customers'];
    expect(list.length).toBe(data.kpis?.total_customers);
    expect(list.every((r) => r.value_segment === 'High')).toBe(true);
  });

  it('data quality: the quarantine tables', async () => {
    const data = await page({ page: 'quality' });
    expect(data.kpis).toBeNull();
    expect(data.charts.repairs).toContainEqual(expect.objectContaining({ model: 'crm_sales_details', rule: 'invalid order date: NULL', rows: 1 }));
    expect(data.charts['dropped-customers']).toEqual([expect.objectContaining({ cst_id: '11003', total: 1, reject_reason: expect.stringMatching(/older record/) })]);
  });
});

describe('options and insights', () => {
  it('filter options come from the sales lines', async () => {
    const options = await queryOptions(await testEngine());
    expect(options.values.country).toEqual(['Australia', 'Germany', 'United States', 'n/a']);
    expect(options.values.category).toEqual(['Accessories', 'Bikes', 'n/a']);
    expect(options.values.segment).toEqual(['High', 'Medium', 'Low']);
    expect(options.subcategoryParent['Road Bikes']).toBe('Bikes');
    expect([options.firstDay, options.lastDay]).toEqual(['2010-12-29', '2012-10-01']);
  });

  it('every insight sentence is built from computed figures', async () => {
    const sentences = insightSentences(await queryInsightFigures(await testEngine()));
    expect(sentences).toHaveLength(6);
    expect(sentences[0]).toMatch(/^Road is the largest product line, with 60\.5% of sales/);
    expect(sentences[1]).toMatch(/^Helmets sold the most units: 6, 50\.0% of all units sold/);
    expect(sentences[3]).toMatch(/^United States is the strongest country/);
    expect(sentences[4]).toMatch(/Jun 2012 \(7\.16K\), Dec 2010 \(3\.58K\) and Jan 2011 \(3\.47K\)/);
    expect(sentences[5]).toMatch(/^Repeat customers \(75\.0% of buyers\) bring 99\.4% of revenue, 168\.1 times/);
  });
});

describe('the base follows the results', () => {
  it('is rebuilt for a new run, and after it was dropped', async () => {
    expect((await kpis(NONE))?.total_sales).toBe(17754);
    const { report } = await runOnTexts({ ...FIXTURE, crm_sales_details: csv(SALES.split('\n')[0], SALES.split('\n')[1]) });
    expect(report.state).toBe('success');
    expect((await kpis(NONE))?.total_sales).toBe(3578);
    await dropBase(await testEngine());
    expect((await kpis({ values: { country: ['Australia'] } }))?.total_sales).toBe(3578);
  });

  it('dropping it leaves no dashboard table behind, whatever the build made', async () => {
    const e = await testEngine();
    const dashTables = () => e.query<{ n: number }>(
      "select count(*)::integer as n from duckdb_tables() where (database_name = 'temp' and table_name like 'dash%') or database_name = 'dash_agg'",
    );
    await kpis(NONE);
    expect((await dashTables())[0].n).toBeGreaterThan(10);
    // A table the build might add later, under the same prefix, goes too.
    await e.exec('create temp table dash_added_later as select 1 as x');
    await dropBase(e);
    expect((await dashTables())[0].n).toBe(0);
    expect((await kpis(NONE))?.total_sales).toBe(3578);
  });
});

describe('clicks, cells and downloads', () => {
  it('a click keeps a value, a second click clears it; a period click sets its date range', () => {
    const byCategory = CHARTS['sales-by-category'];
    const once = pickRow(byCategory, { category: 'Bikes' }, NONE, 'month');
    expect(once?.values.category).toEqual(['Bikes']);
    expect(pickRow(byCategory, { category: 'Bikes' }, once!, 'month')?.values.category).toBeUndefined();
    expect(pickRow(CHARTS['top-customers'], { customer: 'x' }, NONE, 'month')).toBeNull();
    const year = pickRow(CHARTS['sales-over-time'], { period: '2012-01-01' }, NONE, 'year');
    expect([year?.from, year?.to]).toEqual(['2012-01-01', '2012-12-31']);
    const month = pickRow(CHARTS['sales-over-time'], { period: '2012-02-01' }, NONE, 'month');
    expect([month?.from, month?.to]).toEqual(['2012-02-01', '2012-02-29']);
    const marked = markSelected(CHARTS['sales-over-time'], [{ period: '2012-01-01' }, { period: '2012-02-01' }, { period: '2012-03-01' }], month!, 'month');
    expect(marked.map((r) => r.selected)).toEqual([false, true, false]);
  });

  it('numbers read as 29.4M and 1.06K on charts, exact in tables', () => {
    expect(formatCompact(29_356_250)).toBe('29.4M');
    expect(formatCompact(1061.36)).toBe('1.06K');
    expect(cellText(29_356_250, { field: 'sales', label: 'Sales', kind: 'amount' })).toBe('29,356,250');
    expect(cellText(0.4981, { field: 'share', label: 'Share', kind: 'share' })).toBe('49.8%');
    expect(cellText('2013-12-01', { field: 'period', label: 'Period', kind: 'period' }, 'year')).toBe('2013');
  });

  it('CSV keeps raw values, quotes what needs it, and defuses spreadsheet formulas', () => {
    const text = rowsToCsv(
      [{ name: 'Road, "Red"', sales: 1061.3633898550202 }, { name: '=HYPERLINK("x")', sales: -5 }],
      [{ field: 'name', label: 'Name', kind: 'text' }, { field: 'sales', label: 'Sales', kind: 'amount' }],
    );
    expect(text).toBe(`Name,Sales\r\n"Road, ""Red""",1061.3633898550202\r\n"'=HYPERLINK(""x"")",-5\r\n`);
  });
});
