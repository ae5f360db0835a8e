/**
 * KPI models on a fixture with a few customers, orders and products; every value worked out by
 * hand below, and every breakdown adds up to the overview.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/pipeline/types.ts';
import { rows, runOnTexts } from '../helpers/pipeline.ts';

const csv = (...lines: string[]) => `${lines.join('\n')}\n`;

// 11000 Male/Married/Australia, 11001 Female/Single/Germany, 11002 Female (from the ERP)/Married/United States,
// 11003 Male/Single/no location (n/a), 11004 never buys.
const CUST_INFO = csv(
  'cst_id,cst_key,cst_firstname,cst_lastname,cst_marital_status,cst_gndr,cst_create_date',
  '11000,AW00011000,Jon,Yang,M,M,2010-10-06',
  '11001,AW00011001,Eugene,Huang,S,F,2010-10-06',
  '11002,AW00011002,Ruben,Torres,M,,2010-10-06',
  '11003,AW00011003,Christy,Zhu,S,M,2010-10-06',
  '11004,AW00011004,Elaine,Wu,S,F,2010-10-06',
);
const CUST_AZ12 = csv('CID,BDATE,GEN', 'NASAW00011002,1971-02-09,Female');
const LOC_A101 = csv('CID,CNTRY', 'AW-00011000,Australia', 'AW-00011001,DE', 'AW-00011002,US', 'AW-00011004,Australia');
// product_key: 1 BK-M82S-44, 2 BK-R93R-62 (same start, by number), 3 HL-U509-R.
const PRD_INFO = csv(
  'prd_id,prd_key,prd_nm,prd_cost,prd_line,prd_start_dt,prd_end_dt',
  '310,BI-RB-BK-R93R-62,Road-150 Red- 62,2171,R,2011-07-01,',
  '300,BI-MB-BK-M82S-44,Mountain-100 Silver- 44,1898,M,2011-07-01,',
  '213,AC-HE-HL-U509-R,Sport-100 Helmet- Red,14,S,2012-07-01,',
);
const PX_CAT = csv(
  'ID,CAT,SUBCAT,MAINTENANCE',
  'AC_HE,Accessories,Helmets,No',
  'BI_RB,Bikes,Road Bikes,Yes',
  'BI_MB,Bikes,Mountain Bikes,Yes',
);
const SALES = csv(
  'sls_ord_num,sls_prd_key,sls_cust_id,sls_order_dt,sls_ship_dt,sls_due_dt,sls_sales,sls_quantity,sls_price',
  'SO1,BK-R93R-62,11000,20101229,20110105,20110110,3578,1,3578', // 1: 3578
  'SO2,BK-M82S-44,11001,20110115,20110122,20110127,3400,1,3400', // 2: 3400
  'SO2,HL-U509-R,11001,20110115,20110122,20110127,70,2,35', //     3: 70
  'SO3,HL-U509-R,11000,20110203,20110210,20110215,35,1,35', //     4: 35
  'SO4,BK-R93R-62,11002,20120310,20120317,20120322,3578,1,3578', // 5: 3578
  'SO4,XX-UNKNOWN,11002,20120310,20120317,20120322,10,1,10', //    6: 10, unknown product
  'SO5,HL-U509-R,11000,20120420,20120427,20120502,,3,35', //       7: sales missing, repaired to 105
  'SO6,HL-U509-R,99999,20120505,20120512,20120517,35,1,35', //     8: 35, unknown customer
  'SO7,HL-U509-R,11001,0,20120512,20120517,35,1,35', //            9: 35, no order date
  'SO8,HL-U509-R,11003,20130101,20130108,20130113,70,2,35', //     10: 70
);

const TOTAL = 10916; // 3578 + 3400 + 70 + 35 + 3578 + 10 + 105 + 35 + 35 + 70
const UNITS = 14;
const ORDERS = 8;

/** [key, sales, units, orders, customers] → the KPI row with derived average order value and share of sales. */
function expectedRows(keyName: string, groups: [unknown, number, number, number, number][]) {
  return groups.map(([key, sales, units, orders, customers]) => ({
    [keyName]: key, sales, units, orders, customers, avg_order_value: sales / orders, share_of_sales: sales / TOTAL,
  }));
}

async function breakdown(table: string, keySql: string, keyName: string, orderBy = 'sales desc') {
  const result = await rows(`
    select ${keySql} as ${keyName}, sales::double as sales, units::integer as units, orders::integer as orders,
      customers::integer as customers, avg_order_value::double as avg_order_value, share_of_sales::double as share_of_sales
    from kpi.${table} order by ${orderBy}`);
  // Float measures compared to 1e-9.
  return result.map((r) => ({
    ...r,
    avg_order_value: Math.round(Number(r.avg_order_value) * 1e9) / 1e9,
    share_of_sales: Math.round(Number(r.share_of_sales) * 1e9) / 1e9,
  }));
}

function rounded<T extends { avg_order_value: number; share_of_sales: number }>(list: T[]): T[] {
  return list.map((r) => ({ ...r, avg_order_value: Math.round(r.avg_order_value * 1e9) / 1e9, share_of_sales: Math.round(r.share_of_sales * 1e9) / 1e9 }));
}

let report: RunReport;

beforeAll(async () => {
  ({ report } = await runOnTexts({
    crm_cust_info: CUST_INFO, erp_cust_az12: CUST_AZ12, erp_loc_a101: LOC_A101,
    crm_prd_info: PRD_INFO, erp_px_cat_g1v2: PX_CAT, crm_sales_details: SALES,
  }));
});

describe('kpi', () => {
  it('the run succeeds', () => {
    expect(report.error).toBeUndefined();
    expect(report.state).toBe('success');
  });

  it('kpi.overview: totals, distinct orders and buying customers, averages, first/last order date', async () => {
    const [o] = await rows(`
      select total_sales::double as total_sales, total_units::integer as total_units, total_orders::integer as total_orders,
        total_customers::integer as total_customers, avg_order_value::double as avg_order_value,
        avg_unit_price::double as avg_unit_price, first_order_date::varchar as first_order_date, last_order_date::varchar as last_order_date
      from kpi.overview`);
    expect(o).toMatchObject({
      total_sales: TOTAL, total_units: UNITS, total_orders: ORDERS, total_customers: 4,
      first_order_date: '2010-12-29', last_order_date: '2013-01-01',
    });
    expect(o.avg_order_value).toBeCloseTo(TOTAL / ORDERS, 9); // 1364.5
    expect(o.avg_unit_price).toBeCloseTo(TOTAL / UNITS, 9);
    expect(await rows('select count(*)::integer as n from kpi.overview')).toEqual([{ n: 1 }]);
  });

  it('kpi.sales_by_category', async () => {
    expect(await breakdown('sales_by_category', 'category', 'category')).toEqual(rounded(expectedRows('category', [
      ['Bikes', 10556, 3, 3, 3],
      ['Accessories', 350, 10, 6, 3],
      ['n/a', 10, 1, 1, 1],
    ])));
  });

  it('kpi.sales_by_subcategory', async () => {
    const got = await breakdown('sales_by_subcategory', "category || ' / ' || subcategory", 'subcategory');
    expect(got).toEqual(rounded(expectedRows('subcategory', [
      ['Bikes / Road Bikes', 7156, 2, 2, 2],
      ['Bikes / Mountain Bikes', 3400, 1, 1, 1],
      ['Accessories / Helmets', 350, 10, 6, 3],
      ['n/a / n/a', 10, 1, 1, 1],
    ])));
  });

  it('kpi.sales_by_product (the unknown product as one NULL-key row named n/a)', async () => {
    const got = await breakdown(
      'sales_by_product',
      "concat_ws(' | ', coalesce(product_key::varchar, 'NULL'), coalesce(product_number, 'NULL'), product_name, category, subcategory, product_line)",
      'product',
    );
    expect(got).toEqual(rounded(expectedRows('product', [
      ['2 | BK-R93R-62 | Road-150 Red- 62 | Bikes | Road Bikes | Road', 7156, 2, 2, 2],
      ['1 | BK-M82S-44 | Mountain-100 Silver- 44 | Bikes | Mountain Bikes | Mountain', 3400, 1, 1, 1],
      ['3 | HL-U509-R | Sport-100 Helmet- Red | Accessories | Helmets | Other Sales', 350, 10, 6, 3],
      ['NULL | NULL | n/a | n/a | n/a | n/a', 10, 1, 1, 1],
    ])));
  });

  it('kpi.sales_by_product_line', async () => {
    expect(await breakdown('sales_by_product_line', 'product_line', 'product_line')).toEqual(rounded(expectedRows('product_line', [
      ['Road', 7156, 2, 2, 2],
      ['Mountain', 3400, 1, 1, 1],
      ['Other Sales', 350, 10, 6, 3],
      ['n/a', 10, 1, 1, 1],
    ])));
  });

  it('kpi.sales_by_country (no location and unknown customer both n/a)', async () => {
    expect(await breakdown('sales_by_country', 'country', 'country')).toEqual(rounded(expectedRows('country', [
      ['Australia', 3718, 5, 3, 1],
      ['United States', 3588, 2, 1, 1],
      ['Germany', 3505, 4, 2, 1],
      ['n/a', 105, 3, 2, 1],
    ])));
  });

  it('kpi.sales_by_gender', async () => {
    expect(await breakdown('sales_by_gender', 'gender', 'gender')).toEqual(rounded(expectedRows('gender', [
      ['Female', 7093, 6, 3, 2],
      ['Male', 3788, 7, 4, 2],
      ['n/a', 35, 1, 1, 0],
    ])));
  });

  it('kpi.sales_by_marital_status', async () => {
    expect(await breakdown('sales_by_marital_status', 'marital_status', 'marital_status')).toEqual(rounded(expectedRows('marital_status', [
      ['Married', 7306, 7, 4, 2],
      ['Single', 3575, 6, 3, 2],
      ['n/a', 35, 1, 1, 0],
    ])));
  });

  it('kpi.sales_by_month (a line without order date in a NULL month)', async () => {
    expect(await breakdown('sales_by_month', 'month::varchar', 'month', 'month nulls last')).toEqual(rounded(expectedRows('month', [
      ['2010-12-01', 3578, 1, 1, 1],
      ['2011-01-01', 3470, 3, 1, 1],
      ['2011-02-01', 35, 1, 1, 1],
      ['2012-03-01', 3588, 2, 1, 1],
      ['2012-04-01', 105, 3, 1, 1],
      ['2012-05-01', 35, 1, 1, 0],
      ['2013-01-01', 70, 2, 1, 1],
      [null, 35, 1, 1, 1],
    ])));
  });

  it('kpi.sales_by_year', async () => {
    expect(await breakdown('sales_by_year', 'year::integer', 'year', 'year nulls last')).toEqual(rounded(expectedRows('year', [
      [2010, 3578, 1, 1, 1],
      [2011, 3505, 4, 2, 2],
      [2012, 3728, 6, 3, 2],
      [2013, 70, 2, 1, 1],
      [null, 35, 1, 1, 1],
    ])));
  });

  it('each sales_by_* breakdown adds up to the overview (sales, units)', async () => {
    const tables = ['category', 'subcategory', 'product', 'product_line', 'country', 'gender', 'marital_status', 'month', 'year'];
    const sums = await rows(tables.map((t) => `select '${t}' as t, sum(sales)::double as sales, sum(units)::integer as units, sum(share_of_sales)::double as share from kpi.sales_by_${t}`).join(' union all '));
    expect(sums).toHaveLength(tables.length);
    for (const s of sums) {
      expect([s.t, s.sales, s.units]).toEqual([s.t, TOTAL, UNITS]);
      expect(s.share).toBeCloseTo(1, 9);
    }
  });

  it('kpi.new_customers_by_month: customers by the month of their first order', async () => {
    expect(await rows('select month::varchar as month, new_customers::integer as new_customers from kpi.new_customers_by_month order by month')).toEqual([
      { month: '2010-12-01', new_customers: 1 },
      { month: '2011-01-01', new_customers: 1 },
      { month: '2012-03-01', new_customers: 1 },
      { month: '2013-01-01', new_customers: 1 },
    ]);
  });

  it('kpi.orders_per_customer: the distribution of distinct orders per customer', async () => {
    expect(await rows(`
      select orders::integer as orders, customers::integer as customers, sales::double as sales, share_of_customers::double as share_of_customers
      from kpi.orders_per_customer order by orders`)).toEqual([
      { orders: 1, customers: 2, sales: 3658, share_of_customers: 0.5 }, // 11002 (SO4: 3588), 11003 (SO8: 70)
      { orders: 2, customers: 1, sales: 3505, share_of_customers: 0.25 }, // 11001 (SO2, SO7)
      { orders: 3, customers: 1, sales: 3718, share_of_customers: 0.25 }, // 11000 (SO1, SO3, SO5)
    ]);
  });

  it('kpi.repeat_customers: repeat (2+ orders) vs one-time', async () => {
    const got = await rows(`
      select customer_type, customers::integer as customers, sales::double as sales, orders::integer as orders,
        share_of_customers::double as share_of_customers, share_of_sales::double as share_of_sales
      from kpi.repeat_customers order by customer_type desc`);
    const known = TOTAL - 35; // the unknown customer's line belongs to no customer
    expect(got.map((r) => ({ ...r, share_of_sales: Math.round(Number(r.share_of_sales) * 1e9) / 1e9 }))).toEqual([
      { customer_type: 'repeat', customers: 2, sales: 7223, orders: 5, share_of_customers: 0.5, share_of_sales: Math.round((7223 / known) * 1e9) / 1e9 },
      { customer_type: 'one-time', customers: 2, sales: 3658, orders: 2, share_of_customers: 0.5, share_of_sales: Math.round((3658 / known) * 1e9) / 1e9 },
    ]);
  });

  it('customer distributions add up to the sales of known customers and to the buying customers', async () => {
    const [r] = await rows(`
      select (select sum(sales) from kpi.orders_per_customer)::double as by_orders,
        (select sum(sales) from kpi.repeat_customers)::double as by_type,
        (select sum(customers) from kpi.orders_per_customer)::integer as customers_by_orders,
        (select sum(customers) from kpi.repeat_customers)::integer as customers_by_type,
        (select sum(new_customers) from kpi.new_customers_by_month)::integer as new_customers,
        (select total_customers from kpi.overview)::integer as total_customers,
        (select sum(sales_amount) from gold.fact_sales where customer_key is null)::double as unknown_customer_sales`);
    expect(r).toEqual({
      by_orders: TOTAL - 35, by_type: TOTAL - 35, customers_by_orders: 4, customers_by_type: 4, new_customers: 4,
      total_customers: 4, unknown_customer_sales: 35,
    });
  });
});
