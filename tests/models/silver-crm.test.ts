/** Silver CRM models on one hand-made fixture per rule (one pipeline run; the sources are independent in silver). */
import { beforeAll, describe, expect, it } from 'vitest';
import { CONTRACTS } from '../../src/pipeline/contracts.ts';
import type { RunReport } from '../../src/pipeline/types.ts';
import { compileCheck } from '../../src/pipeline/validate.ts';
import { rows, runOnTexts } from '../helpers/pipeline.ts';

const csv = (...lines: string[]) => `${lines.join('\n')}\n`;

const CUST_INFO = csv(
  'cst_id,cst_key,cst_firstname,cst_lastname,cst_marital_status,cst_gndr,cst_create_date',
  '11000,AW00011000, Jon ,  Yang  ,M,M,2025-10-06', //                  trimmed names
  ',SF566,No,Id,S,F,2025-01-01', //                                     no cst_id: dropped
  'ABC,AW000ABC,Bad,Id,S,F,2025-01-01', //                              non-numeric cst_id: dropped
  '11001,AW00011001,Old,Version,M,M,2025-01-01', //                     older record of 11001
  '11001,AW00011001,Eugene,Huang,s,f,2025-03-01', //                    latest record of 11001 (lower case codes)
  '11001,AW00011001,Middle,Version,M,M,2025-02-01', //                  a later line, but not the latest date
  ' 11002 ,AW00011002,Ruben,Torres, m , f ,2025-10-06', //              padded id and codes
  '11003,AW00011003,Christy,Zhu,X,U,2025-10-06', //                     unknown codes: n/a
  '11004,AW00011004,Elaine,Wu,,,2025-10-06', //                         missing codes: n/a
  '11005,AW00011005,Marco,Polo,Married,Male,2025-10-06', //             words, not codes: n/a
  '11006,AW00011006,Dated,Record,S,F,2025-05-01', //                    a dated record of 11006 ...
  '11006,AW00011006,Undated,Record,M,M,', //                            ... beats an undated one on a later line
  '4000000000,AW4000000000,Big,Number,S,F,2025-10-06', //               numeric id beyond 32 bits (valid for the contract)
);

const PRD_INFO = csv(
  'prd_id,prd_key,prd_nm,prd_cost,prd_line,prd_start_dt,prd_end_dt',
  '210,CO-RF-FR-R92B-58,HL Road Frame - Black- 58,,R ,2003-07-01,', //           missing cost: 0; 'R ' Road
  '213,AC-HE-HL-U509-R,Sport-100 Helmet- Red,14,S,2012-07-01,2008-12-27', //     versions listed out of order
  '212,AC-HE-HL-U509-R,Sport-100 Helmet- Red,12,s,2011-07-01,2007-12-28', //
  '214,AC-HE-HL-U509-R,Sport-100 Helmet- Red,13.5,S,2013-07-01,2020-01-01', //   latest version: no end date, whatever the file says
  '300,BI-MB-BK-M82S-44,Mountain-100 Silver- 44,1898,M,2012-01-01,2012-01-02', //  another key in between: no effect
  '400,BI-TB-BK-T79Y-46,Touring-1000 Blue- 46,1482,t,2013-07-01,', //            Touring
  '500,CL-XX-AB-1,No Line,5,,2013-07-01,', //                                     missing line: n/a
  '501,CL-XX-AB-2,Odd Line,5,Z,2013-07-01,', //                                   unknown line: n/a
);

// Dates: 0 or anything but 8 digits is NULL. Sales/price: repaired per the rule.
const SALES = csv(
  'sls_ord_num,sls_prd_key,sls_cust_id,sls_order_dt,sls_ship_dt,sls_due_dt,sls_sales,sls_quantity,sls_price',
  'SO01,BK-R93R-62,11000,20101229,20110105,20110110,3578,1,3578', //  clean
  'SO02,BK-R93R-62,11000,0,0,0,3578,1,3578', //                       0 dates
  'SO03,BK-R93R-62,11000,2010122,201101050,2011-01-10,3578,1,3578', //  7 digits, 9 digits, dashes
  'SO04,BK-R93R-62,11000,,20110105, 20110110 ,3578,1,3578', //       missing order date; padded due date
  'SO05,HL-U509-R,11000,20130101,20130108,20130113,,2,50', //        sales missing: 2 × 50
  'SO06,HL-U509-R,11000,20130101,20130108,20130113,0,1,10', //       sales 0: 1 × 10
  'SO07,HL-U509-R,11000,20130101,20130108,20130113,-18,1,9', //      sales negative: 1 × 9
  'SO08,HL-U509-R,11000,20130101,20130108,20130113,40,1,2', //       sales ≠ quantity × price: 1 × 2
  'SO09,HL-U509-R,11000,20130101,20130108,20130113,50,2,50', //      sales ≠ quantity × price: 2 × 50
  'SO10,HL-U509-R,11000,20130101,20130108,20130113,769,1,-769', //   negative price: sales 1 × |-769|, price 769 ÷ 1
  'SO11,HL-U509-R,11000,20130101,20130108,20130113,10,2,', //        price missing: 10 ÷ 2
  'SO12,HL-U509-R,11000,20130101,20130108,20130113,100,3,', //       price missing: 100 ÷ 3 = 33 (integer)
  'SO13,HL-U509-R,11000,20130101,20130108,20130113,101,2,', //       price missing: 101 ÷ 2 = 50 (integer)
  'SO14,HL-U509-R,11000,20130101,20130108,20130113,70,2,35', //      consistent: unchanged
  // Prices in cents, compared in exact decimals (in floating point 7 × 19.99 is 139.92999999999998).
  'SO15,HL-U509-R,11000,20130101,20130108,20130113,139.93,7,19.99', // consistent: unchanged
  'SO16,HL-U509-R,11000,20130101,20130108,20130113,59.97,3,19.99', //  consistent: unchanged
  'SO17,HL-U509-R,11000,20130101,20130108,20130113,139.92,7,19.99', // a cent off: 7 × 19.99 = 139.93
  'SO18,HL-U509-R,11000,20130101,20130108,20130113,,3,0.1', //         sales missing: 3 × 0.1 = 0.3
  'SO19,HL-U509-R,11000,20130101,20130108,20130113,139.93,7,', //      price missing: 139.93 ÷ 7 = 19.99
  'SO20,HL-U509-R,11000,20130101,20130108,20130113,0.29,1,-0.29', //   negative price: 0.29 ÷ 1 = 0.29
  'SO21,HL-U509-R,11000,20130101,20130108,20130113,10,3,', //          price missing: 10 ÷ 3 = 3.33 (truncated to the cent)
);

let report: RunReport;

beforeAll(async () => {
  ({ report } = await runOnTexts({ crm_cust_info: CUST_INFO, crm_prd_info: PRD_INFO, crm_sales_details: SALES }));
});

describe('silver CRM models', () => {
  it('the fixtures pass validation (warnings only) and the run succeeds', () => {
    expect(report.error).toBeUndefined();
    expect(report.state).toBe('success');
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  describe('silver.crm_cust_info', () => {
    it('drops rows without a numeric cst_id, keeps the latest record per cst_id, trims names, maps codes', async () => {
      expect(await rows(`
        select cst_id, cst_key, cst_firstname, cst_lastname, cst_marital_status, cst_gndr, cst_create_date::varchar as cst_create_date
        from silver.crm_cust_info where cst_key <> 'AW4000000000' order by cst_id`)).toEqual([
        { cst_id: 11000, cst_key: 'AW00011000', cst_firstname: 'Jon', cst_lastname: 'Yang', cst_marital_status: 'Married', cst_gndr: 'Male', cst_create_date: '2025-10-06' },
        { cst_id: 11001, cst_key: 'AW00011001', cst_firstname: 'Eugene', cst_lastname: 'Huang', cst_marital_status: 'Single', cst_gndr: 'Female', cst_create_date: '2025-03-01' },
        { cst_id: 11002, cst_key: 'AW00011002', cst_firstname: 'Ruben', cst_lastname: 'Torres', cst_marital_status: 'Married', cst_gndr: 'Female', cst_create_date: '2025-10-06' },
        { cst_id: 11003, cst_key: 'AW00011003', cst_firstname: 'Christy', cst_lastname: 'Zhu', cst_marital_status: 'n/a', cst_gndr: 'n/a', cst_create_date: '2025-10-06' },
        { cst_id: 11004, cst_key: 'AW00011004', cst_firstname: 'Elaine', cst_lastname: 'Wu', cst_marital_status: 'n/a', cst_gndr: 'n/a', cst_create_date: '2025-10-06' },
        { cst_id: 11005, cst_key: 'AW00011005', cst_firstname: 'Marco', cst_lastname: 'Polo', cst_marital_status: 'n/a', cst_gndr: 'n/a', cst_create_date: '2025-10-06' },
        { cst_id: 11006, cst_key: 'AW00011006', cst_firstname: 'Dated', cst_lastname: 'Record', cst_marital_status: 'Single', cst_gndr: 'Female', cst_create_date: '2025-05-01' },
      ]);
    });

    it('has one row per cst_id and no row without one', async () => {
      expect(await rows(`
        select count(*)::integer as n, count(distinct cst_id)::integer as ids, count(cst_id)::integer as with_id
        from silver.crm_cust_info where cst_key <> 'AW4000000000'`)).toEqual([{ n: 7, ids: 7, with_id: 7 }]);
    });

    it('keeps a numeric cst_id too large for 32 bits (the contract accepts it as a whole number, with no warning)', async () => {
      const flagged = report.findings.filter((f) => f.target === 'crm_cust_info' && f.sample.some((r) => r.cst_id === '4000000000'));
      expect(flagged).toEqual([]);
      expect(await rows("select cst_id::varchar as cst_id, cst_firstname from silver.crm_cust_info where cst_key = 'AW4000000000'")).toEqual([
        { cst_id: '4000000000', cst_firstname: 'Big' },
      ]);
    });
  });

  describe('silver.crm_prd_info', () => {
    it('splits prd_key into cat_id and prd_key, fills a missing cost with 0, maps the line', async () => {
      expect(await rows('select prd_id, cat_id, prd_key, prd_nm, prd_cost, prd_line from silver.crm_prd_info order by prd_id')).toEqual([
        { prd_id: 210, cat_id: 'CO_RF', prd_key: 'FR-R92B-58', prd_nm: 'HL Road Frame - Black- 58', prd_cost: 0, prd_line: 'Road' },
        { prd_id: 212, cat_id: 'AC_HE', prd_key: 'HL-U509-R', prd_nm: 'Sport-100 Helmet- Red', prd_cost: 12, prd_line: 'Other Sales' },
        { prd_id: 213, cat_id: 'AC_HE', prd_key: 'HL-U509-R', prd_nm: 'Sport-100 Helmet- Red', prd_cost: 14, prd_line: 'Other Sales' },
        { prd_id: 214, cat_id: 'AC_HE', prd_key: 'HL-U509-R', prd_nm: 'Sport-100 Helmet- Red', prd_cost: 13.5, prd_line: 'Other Sales' },
        { prd_id: 300, cat_id: 'BI_MB', prd_key: 'BK-M82S-44', prd_nm: 'Mountain-100 Silver- 44', prd_cost: 1898, prd_line: 'Mountain' },
        { prd_id: 400, cat_id: 'BI_TB', prd_key: 'BK-T79Y-46', prd_nm: 'Touring-1000 Blue- 46', prd_cost: 1482, prd_line: 'Touring' },
        { prd_id: 500, cat_id: 'CL_XX', prd_key: 'AB-1', prd_nm: 'No Line', prd_cost: 5, prd_line: 'n/a' },
        { prd_id: 501, cat_id: 'CL_XX', prd_key: 'AB-2', prd_nm: 'Odd Line', prd_cost: 5, prd_line: 'n/a' },
      ]);
    });

    it('ends each version the day before the next start of the same source key, ignoring the file\'s end date', async () => {
      expect(await rows(`
        select prd_id, prd_start_dt::varchar as prd_start_dt, prd_end_dt::varchar as prd_end_dt
        from silver.crm_prd_info order by prd_id`)).toEqual([
        { prd_id: 210, prd_start_dt: '2003-07-01', prd_end_dt: null },
        { prd_id: 212, prd_start_dt: '2011-07-01', prd_end_dt: '2012-06-30' },
        { prd_id: 213, prd_start_dt: '2012-07-01', prd_end_dt: '2013-06-30' },
        { prd_id: 214, prd_start_dt: '2013-07-01', prd_end_dt: null },
        { prd_id: 300, prd_start_dt: '2012-01-01', prd_end_dt: null },
        { prd_id: 400, prd_start_dt: '2013-07-01', prd_end_dt: null },
        { prd_id: 500, prd_start_dt: '2013-07-01', prd_end_dt: null },
        { prd_id: 501, prd_start_dt: '2013-07-01', prd_end_dt: null },
      ]);
    });
  });

  describe('silver.crm_sales_details', () => {
    it('keeps every line', async () => {
      expect(await rows('select count(*)::integer as n from silver.crm_sales_details')).toEqual([{ n: 21 }]);
    });

    it('reads yyyymmdd dates; 0 or not 8 digits is NULL', async () => {
      expect(await rows(`
        select sls_ord_num, sls_order_dt::varchar as o, sls_ship_dt::varchar as s, sls_due_dt::varchar as d
        from silver.crm_sales_details where sls_ord_num <= 'SO04' order by sls_ord_num`)).toEqual([
        { sls_ord_num: 'SO01', o: '2010-12-29', s: '2011-01-05', d: '2011-01-10' },
        { sls_ord_num: 'SO02', o: null, s: null, d: null },
        { sls_ord_num: 'SO03', o: null, s: null, d: null },
        { sls_ord_num: 'SO04', o: null, s: '2011-01-05', d: '2011-01-10' },
      ]);
      const types = await rows(`
        select distinct data_type from information_schema.columns
        where table_catalog = current_database() and table_schema = 'silver' and table_name = 'crm_sales_details'
          and column_name in ('sls_order_dt', 'sls_ship_dt', 'sls_due_dt')`);
      expect(types).toEqual([{ data_type: 'DATE' }]);
    });

    it('recomputes sales as quantity × |price| when missing, ≤ 0 or inconsistent; derives a missing or negative price as sales ÷ quantity (to the cent)', async () => {
      expect(await rows(`
        select sls_ord_num, sls_sales, sls_quantity, sls_price
        from silver.crm_sales_details where sls_ord_num between 'SO05' and 'SO14' order by sls_ord_num`)).toEqual([
        { sls_ord_num: 'SO05', sls_sales: 100, sls_quantity: 2, sls_price: 50 },
        { sls_ord_num: 'SO06', sls_sales: 10, sls_quantity: 1, sls_price: 10 },
        { sls_ord_num: 'SO07', sls_sales: 9, sls_quantity: 1, sls_price: 9 },
        { sls_ord_num: 'SO08', sls_sales: 2, sls_quantity: 1, sls_price: 2 },
        { sls_ord_num: 'SO09', sls_sales: 100, sls_quantity: 2, sls_price: 50 },
        { sls_ord_num: 'SO10', sls_sales: 769, sls_quantity: 1, sls_price: 769 },
        { sls_ord_num: 'SO11', sls_sales: 10, sls_quantity: 2, sls_price: 5 },
        { sls_ord_num: 'SO12', sls_sales: 100, sls_quantity: 3, sls_price: 33.33 },
        { sls_ord_num: 'SO13', sls_sales: 101, sls_quantity: 2, sls_price: 50.5 },
        { sls_ord_num: 'SO14', sls_sales: 70, sls_quantity: 2, sls_price: 35 },
      ]);
    });

    it('compares and recomputes prices in cents exactly: a consistent line stays as written, a repaired one gets the exact product', async () => {
      // The expected numbers are the decimals as written in a CSV (139.93 is the double nearest to 139.93).
      expect(await rows(`
        select sls_ord_num, sls_sales, sls_quantity, sls_price
        from silver.crm_sales_details where sls_ord_num >= 'SO15' order by sls_ord_num`)).toEqual([
        { sls_ord_num: 'SO15', sls_sales: 139.93, sls_quantity: 7, sls_price: 19.99 },
        { sls_ord_num: 'SO16', sls_sales: 59.97, sls_quantity: 3, sls_price: 19.99 },
        { sls_ord_num: 'SO17', sls_sales: 139.93, sls_quantity: 7, sls_price: 19.99 },
        { sls_ord_num: 'SO18', sls_sales: 0.3, sls_quantity: 3, sls_price: 0.1 },
        { sls_ord_num: 'SO19', sls_sales: 139.93, sls_quantity: 7, sls_price: 19.99 },
        { sls_ord_num: 'SO20', sls_sales: 0.29, sls_quantity: 1, sls_price: 0.29 },
        { sls_ord_num: 'SO21', sls_sales: 10, sls_quantity: 3, sls_price: 3.33 },
      ]);
    });

    it('the contract and rejects.repairs compare in exact decimals too: 139.93 = 7 × 19.99 is no finding and no repair', async () => {
      const check = CONTRACTS.crm_sales_details.find((c) => c.kind === 'rule' && c.name === 'sales_is_quantity_times_price')!;
      const flagged = await rows(`select sls_ord_num from bronze.crm_sales_details s
        where ${compileCheck('crm_sales_details', check)!.predicate} order by sls_ord_num`);
      // missing, ≤ 0 or inconsistent sales (SO05-SO09, SO17, SO18), or no price to check against (SO11-SO13, SO19, SO21)
      expect(flagged.map((r) => r.sls_ord_num)).toEqual(['SO05', 'SO06', 'SO07', 'SO08', 'SO09', 'SO11', 'SO12', 'SO13', 'SO17', 'SO18', 'SO19', 'SO21']);
      expect(report.findings.find((f) => f.check === 'sales_is_quantity_times_price')?.count).toBe(12);
      // silver changed the sales of SO05-SO09, SO17 and SO18 only
      expect(await rows(`select rows::integer as rows from rejects.repairs
        where model = 'crm_sales_details' and rule = 'sales recomputed as quantity × price'`)).toEqual([{ rows: 7 }]);
      expect(await rows(`select rows::integer as rows from rejects.repairs
        where model = 'crm_sales_details' and rule = 'price derived from sales ÷ quantity'`)).toEqual([{ rows: 7 }]); // SO10-SO13, SO19-SO21
    });

    it('after repair, every line with a price has sales = quantity × price', async () => {
      expect(await rows(`
        select count(*)::integer as n from silver.crm_sales_details
        where sls_ord_num >= 'SO05' and sls_ord_num not in ('SO11', 'SO12', 'SO13', 'SO21')
          and sls_sales::decimal(18, 6) <> sls_quantity * sls_price::decimal(18, 6)`)).toEqual([{ n: 0 }]);
    });
  });
});
