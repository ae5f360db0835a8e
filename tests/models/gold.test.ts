/** Gold star schema: dim_customers, dim_products, fact_sales on a small consistent fixture. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/pipeline/types.ts';
import { rows, runOnTexts } from '../helpers/pipeline.ts';

const csv = (...lines: string[]) => `${lines.join('\n')}\n`;

// Customers listed out of id order: customer_key follows customer_id, not the file.
const CUST_INFO = csv(
  'cst_id,cst_key,cst_firstname,cst_lastname,cst_marital_status,cst_gndr,cst_create_date',
  '11002,AW00011002,Ruben,Torres,M,,2025-10-08', //      CRM gender n/a: ERP's Female
  '11000,AW00011000,Jon,Yang,M,M,2025-10-06', //         CRM Male wins over ERP's Female
  '11003,AW00011003,Christy,Zhu,S,F,2025-10-09', //      no ERP records at all
  '11001,AW00011001,Eugene,Huang,S,X,2025-10-07', //     n/a in both systems
);
const CUST_AZ12 = csv(
  'CID,BDATE,GEN',
  'NASAW00011000,1971-10-06,F',
  'NASAW00011001,1976-05-10,',
  'AW00011002,1971-02-09,Female',
);
const LOC_A101 = csv('CID,CNTRY', 'AW-00011000,Australia', 'AW-00011001,DE', 'AW00011002,US');

// Products: an old and a current version of HL-U509-R; BK-R93R-62 has an end date in the file
// but no later version, so it is current; ZZ-9999 has no category.
const PRD_INFO = csv(
  'prd_id,prd_key,prd_nm,prd_cost,prd_line,prd_start_dt,prd_end_dt',
  '212,AC-HE-HL-U509-R,Sport-100 Helmet- Red,12,S,2011-07-01,2012-06-30',
  '213,AC-HE-HL-U509-R,Sport-100 Helmet- Red,14,S,2012-07-01,',
  '310,BI-RB-BK-R93R-62,Road-150 Red- 62,2171,R,2011-07-01,2012-06-30',
  '300,BI-MB-BK-M82S-44,Mountain-100 Silver- 44,1898,M,2011-07-01,',
  '399,XX-YY-ZZ-9999,Mystery Item,5,T,2013-07-01,',
);
const PX_CAT = csv(
  'ID,CAT,SUBCAT,MAINTENANCE',
  'AC_HE,Accessories,Helmets,No',
  'BI_RB,Bikes,Road Bikes,Yes',
  'BI_MB,Bikes,Mountain Bikes,Yes',
);
const SALES = csv(
  'sls_ord_num,sls_prd_key,sls_cust_id,sls_order_dt,sls_ship_dt,sls_due_dt,sls_sales,sls_quantity,sls_price',
  'SO1,BK-R93R-62,11000,20101229,20110105,20110110,3578,1,3578',
  'SO2,BK-M82S-44,11002,20110115,20110122,20110127,3400,1,3400',
  'SO2,HL-U509-R,11002,20110115,20110122,20110127,70,2,35',
  'SO3,NO-SUCH-KEY,11001,20120301,20120308,20120313,10,1,10', //   unknown product: kept, NULL product_key
  'SO4,ZZ-9999,99999,20130701,0,20130713,,2,5', //                 unknown customer: kept, NULL customer_key
);

let report: RunReport;

beforeAll(async () => {
  ({ report } = await runOnTexts({
    crm_cust_info: CUST_INFO, erp_cust_az12: CUST_AZ12, erp_loc_a101: LOC_A101,
    crm_prd_info: PRD_INFO, erp_px_cat_g1v2: PX_CAT, crm_sales_details: SALES,
  }));
});

describe('gold', () => {
  it('the run succeeds; the unknown product and customer are warnings', () => {
    expect(report.error).toBeUndefined();
    expect(report.state).toBe('success');
    const warned = report.findings.filter((f) => f.target.startsWith('gold.')).map((f) => [f.check, f.severity, f.count]);
    expect(warned).toEqual([
      ['fact_sales_known_customer', 'warn', 1],
      ['fact_sales_known_product', 'warn', 1],
    ]);
  });

  it('gold.dim_customers: one row per CRM customer, key by customer_id, ERP country/birthdate, CRM gender unless n/a', async () => {
    expect(await rows(`
      select customer_key, customer_id, customer_number, first_name, last_name, country, marital_status, gender,
        birthdate::varchar as birthdate, create_date::varchar as create_date
      from gold.dim_customers order by customer_key`)).toEqual([
      { customer_key: 1, customer_id: 11000, customer_number: 'AW00011000', first_name: 'Jon', last_name: 'Yang', country: 'Australia', marital_status: 'Married', gender: 'Male', birthdate: '1971-10-06', create_date: '2025-10-06' },
      { customer_key: 2, customer_id: 11001, customer_number: 'AW00011001', first_name: 'Eugene', last_name: 'Huang', country: 'Germany', marital_status: 'Single', gender: 'n/a', birthdate: '1976-05-10', create_date: '2025-10-07' },
      { customer_key: 3, customer_id: 11002, customer_number: 'AW00011002', first_name: 'Ruben', last_name: 'Torres', country: 'United States', marital_status: 'Married', gender: 'Female', birthdate: '1971-02-09', create_date: '2025-10-08' },
      { customer_key: 4, customer_id: 11003, customer_number: 'AW00011003', first_name: 'Christy', last_name: 'Zhu', country: 'n/a', marital_status: 'Single', gender: 'Female', birthdate: null, create_date: '2025-10-09' },
    ]);
  });

  it('gold.dim_customers has exactly the contract columns, in order', async () => {
    const cols = await rows(`
      select column_name from information_schema.columns
      where table_catalog = current_database() and table_schema = 'gold' and table_name = 'dim_customers' order by ordinal_position`);
    expect(cols.map((c) => c.column_name)).toEqual([
      'customer_key', 'customer_id', 'customer_number', 'first_name', 'last_name', 'country', 'marital_status', 'gender', 'birthdate', 'create_date',
    ]);
  });

  it('gold.dim_products: current versions only, key by start date then product number, ERP categories', async () => {
    expect(await rows(`
      select product_key, product_id, product_number, product_name, category_id, category, subcategory, maintenance, cost,
        product_line, start_date::varchar as start_date
      from gold.dim_products order by product_key`)).toEqual([
      { product_key: 1, product_id: 300, product_number: 'BK-M82S-44', product_name: 'Mountain-100 Silver- 44', category_id: 'BI_MB', category: 'Bikes', subcategory: 'Mountain Bikes', maintenance: 'Yes', cost: 1898, product_line: 'Mountain', start_date: '2011-07-01' },
      { product_key: 2, product_id: 310, product_number: 'BK-R93R-62', product_name: 'Road-150 Red- 62', category_id: 'BI_RB', category: 'Bikes', subcategory: 'Road Bikes', maintenance: 'Yes', cost: 2171, product_line: 'Road', start_date: '2011-07-01' },
      { product_key: 3, product_id: 213, product_number: 'HL-U509-R', product_name: 'Sport-100 Helmet- Red', category_id: 'AC_HE', category: 'Accessories', subcategory: 'Helmets', maintenance: 'No', cost: 14, product_line: 'Other Sales', start_date: '2012-07-01' },
      { product_key: 4, product_id: 399, product_number: 'ZZ-9999', product_name: 'Mystery Item', category_id: 'XX_YY', category: null, subcategory: null, maintenance: null, cost: 5, product_line: 'Touring', start_date: '2013-07-01' },
    ]);
  });

  it('gold.dim_products has exactly the contract columns, in order', async () => {
    const cols = await rows(`
      select column_name from information_schema.columns
      where table_catalog = current_database() and table_schema = 'gold' and table_name = 'dim_products' order by ordinal_position`);
    expect(cols.map((c) => c.column_name)).toEqual([
      'product_key', 'product_id', 'product_number', 'product_name', 'category_id', 'category', 'subcategory', 'maintenance', 'cost', 'product_line', 'start_date',
    ]);
  });

  it('gold.fact_sales: every sales line, keyed to the current product and the customer, unknown ones with a NULL key', async () => {
    expect(await rows(`
      select order_number, product_key, customer_key, order_date::varchar as order_date, shipping_date::varchar as shipping_date,
        due_date::varchar as due_date, sales_amount, quantity, price
      from gold.fact_sales order by order_number, product_key`)).toEqual([
      { order_number: 'SO1', product_key: 2, customer_key: 1, order_date: '2010-12-29', shipping_date: '2011-01-05', due_date: '2011-01-10', sales_amount: 3578, quantity: 1, price: 3578 },
      { order_number: 'SO2', product_key: 1, customer_key: 3, order_date: '2011-01-15', shipping_date: '2011-01-22', due_date: '2011-01-27', sales_amount: 3400, quantity: 1, price: 3400 },
      { order_number: 'SO2', product_key: 3, customer_key: 3, order_date: '2011-01-15', shipping_date: '2011-01-22', due_date: '2011-01-27', sales_amount: 70, quantity: 2, price: 35 },
      { order_number: 'SO3', product_key: null, customer_key: 2, order_date: '2012-03-01', shipping_date: '2012-03-08', due_date: '2012-03-13', sales_amount: 10, quantity: 1, price: 10 },
      { order_number: 'SO4', product_key: 4, customer_key: null, order_date: '2013-07-01', shipping_date: null, due_date: '2013-07-13', sales_amount: 10, quantity: 2, price: 5 },
    ]);
  });

  it('gold.fact_sales has exactly the contract columns, in order', async () => {
    const cols = await rows(`
      select column_name from information_schema.columns
      where table_catalog = current_database() and table_schema = 'gold' and table_name = 'fact_sales' order by ordinal_position`);
    expect(cols.map((c) => c.column_name)).toEqual([
      'order_number', 'product_key', 'customer_key', 'order_date', 'shipping_date', 'due_date', 'sales_amount', 'quantity', 'price',
    ]);
  });
});
