/**
 * Bronze: every value as it came (text), `_source_file` and `_source_line` (header = line 1),
 * extra columns kept, columns in another order / header names in other case or with spaces
 * recognised.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/pipeline/types.ts';
import { rows, runOnTexts } from '../helpers/pipeline.ts';

// CRM customers: columns in another order, header cells in other case and padded with spaces,
// an extra column `Notes`; values with spaces, leading zeros, a comma inside quotes, empty fields.
const CUST_INFO = [
  ' CST_KEY ,Cst_Id,cst_firstname, Cst_LastName ,CST_MARITAL_STATUS,cst_gndr,cst_create_date,Notes',
  'AW00011000, 11000 , Jon,Yang ,m,M,2025-10-06,first',
  'AW00011001,011001,Eugene,Huang  ,S,f,2025-10-07,"has, a comma"',
  'AW00011002,11002,Ruben,,,,2025-10-08,',
].join('\n') + '\n';

// CRM sales: numbers and dates stay text exactly as written (decimals, signs, zeros, padding).
const SALES = [
  'sls_ord_num,sls_prd_key,sls_cust_id,sls_order_dt,sls_ship_dt,sls_due_dt,sls_sales,sls_quantity,sls_price',
  'SO1,BK-R93R-62,11000,20101229,20110105,20110110,3578,1,3578',
  'SO2 , BK-R93R-62,011000,0,020110105,20110110,-3578.50,01,3578.500',
].join('\n') + '\n';

// ERP locations with CRLF line ends, a quoted value spanning two lines and an extra column:
// `AW-00011001` spans lines 3-4, so `AW-00011002` is on line 5 of the file.
const LOC = 'CID,CNTRY,comment\r\nAW-00011000,Australia,plain\r\nAW-00011001,DE,"two\r\nlines"\r\nAW-00011002, US ,x\r\n';
// ERP categories with a UTF-8 byte order mark and a blank line in the middle:
// `BI_RB` is on line 2, `BI_MB` on line 4 (line 3 is empty).
const PX_CAT = '\uFEFFID,CAT,SUBCAT,MAINTENANCE\nBI_RB,Bikes,Road Bikes,Yes\n\nBI_MB,Bikes,Mountain Bikes,No\n';

let report: RunReport;

beforeAll(async () => {
  ({ report } = await runOnTexts({ crm_cust_info: CUST_INFO, crm_sales_details: SALES, erp_loc_a101: LOC, erp_px_cat_g1v2: PX_CAT }));
});

async function bronzeColumns(table: string): Promise<{ column_name: string; data_type: string }[]> {
  return (await rows(`
    select column_name, data_type from information_schema.columns
    where table_catalog = current_database() and table_schema = 'bronze' and table_name = '${table}'
    order by ordinal_position`)) as { column_name: string; data_type: string }[];
}

describe('bronze', () => {
  it('the run succeeds on the fixtures (reordered, recased, extra columns)', () => {
    expect(report.error).toBeUndefined();
    expect(report.state).toBe('success');
    expect(report.tasks[0]).toMatchObject({ id: 'ingest_bronze', state: 'success' });
  });

  it('recognises columns in another order and header names in other case / with spaces, and keeps extra columns', async () => {
    expect(await bronzeColumns('crm_cust_info')).toEqual([
      { column_name: 'cst_key', data_type: 'VARCHAR' },
      { column_name: 'cst_id', data_type: 'VARCHAR' },
      { column_name: 'cst_firstname', data_type: 'VARCHAR' },
      { column_name: 'cst_lastname', data_type: 'VARCHAR' },
      { column_name: 'cst_marital_status', data_type: 'VARCHAR' },
      { column_name: 'cst_gndr', data_type: 'VARCHAR' },
      { column_name: 'cst_create_date', data_type: 'VARCHAR' },
      { column_name: 'notes', data_type: 'VARCHAR' },
      { column_name: '_source_file', data_type: 'VARCHAR' },
      { column_name: '_source_line', data_type: 'INTEGER' },
    ]);
    expect((await bronzeColumns('erp_loc_a101')).map((c) => c.column_name)).toEqual(['cid', 'cntry', 'comment', '_source_file', '_source_line']);
    // The reordered file feeds the right silver columns.
    expect(await rows('select cst_id, cst_key, cst_firstname, cst_lastname from silver.crm_cust_info order by cst_id')).toEqual([
      { cst_id: 11000, cst_key: 'AW00011000', cst_firstname: 'Jon', cst_lastname: 'Yang' },
      { cst_id: 11001, cst_key: 'AW00011001', cst_firstname: 'Eugene', cst_lastname: 'Huang' },
      { cst_id: 11002, cst_key: 'AW00011002', cst_firstname: 'Ruben', cst_lastname: null },
    ]);
  });

  it('keeps every value as it came, as text (spaces, leading zeros, quoted commas; empty fields are NULL)', async () => {
    expect(await rows('select * exclude (_source_file) from bronze.crm_cust_info order by _source_line')).toEqual([
      {
        cst_key: 'AW00011000', cst_id: ' 11000 ', cst_firstname: ' Jon', cst_lastname: 'Yang ', cst_marital_status: 'm',
        cst_gndr: 'M', cst_create_date: '2025-10-06', notes: 'first', _source_line: 2,
      },
      {
        cst_key: 'AW00011001', cst_id: '011001', cst_firstname: 'Eugene', cst_lastname: 'Huang  ', cst_marital_status: 'S',
        cst_gndr: 'f', cst_create_date: '2025-10-07', notes: 'has, a comma', _source_line: 3,
      },
      {
        cst_key: 'AW00011002', cst_id: '11002', cst_firstname: 'Ruben', cst_lastname: null, cst_marital_status: null,
        cst_gndr: null, cst_create_date: '2025-10-08', notes: null, _source_line: 4,
      },
    ]);
    expect(await rows('select * exclude (_source_file) from bronze.crm_sales_details order by _source_line')).toEqual([
      {
        sls_ord_num: 'SO1', sls_prd_key: 'BK-R93R-62', sls_cust_id: '11000', sls_order_dt: '20101229', sls_ship_dt: '20110105',
        sls_due_dt: '20110110', sls_sales: '3578', sls_quantity: '1', sls_price: '3578', _source_line: 2,
      },
      {
        sls_ord_num: 'SO2 ', sls_prd_key: ' BK-R93R-62', sls_cust_id: '011000', sls_order_dt: '0', sls_ship_dt: '020110105',
        sls_due_dt: '20110110', sls_sales: '-3578.50', sls_quantity: '01', sls_price: '3578.500', _source_line: 3,
      },
    ]);
    const types = await rows(`
      select distinct data_type from information_schema.columns
      where table_catalog = current_database() and table_schema = 'bronze' and column_name <> '_source_line'`);
    expect(types).toEqual([{ data_type: 'VARCHAR' }]);
  });

  it('records the source file name on every row of every table', async () => {
    const files = await rows(`
      select 'crm_cust_info' as t, string_agg(distinct _source_file, '|') as f from bronze.crm_cust_info
      union all select 'crm_prd_info', string_agg(distinct _source_file, '|') from bronze.crm_prd_info
      union all select 'crm_sales_details', string_agg(distinct _source_file, '|') from bronze.crm_sales_details
      union all select 'erp_cust_az12', string_agg(distinct _source_file, '|') from bronze.erp_cust_az12
      union all select 'erp_loc_a101', string_agg(distinct _source_file, '|') from bronze.erp_loc_a101
      union all select 'erp_px_cat_g1v2', string_agg(distinct _source_file, '|') from bronze.erp_px_cat_g1v2
      order by t`);
    // The harness gives each fixture the name `<source id>.csv`.
    expect(files.map((r) => [r.t, r.f])).toEqual([
      ['crm_cust_info', 'crm_cust_info.csv'],
      ['crm_prd_info', 'crm_prd_info.csv'],
      ['crm_sales_details', 'crm_sales_details.csv'],
      ['erp_cust_az12', 'erp_cust_az12.csv'],
      ['erp_loc_a101', 'erp_loc_a101.csv'],
      ['erp_px_cat_g1v2', 'erp_px_cat_g1v2.csv'],
    ]);
    expect(await rows('select count(*)::integer as n from bronze.crm_cust_info where _source_file is null')).toEqual([{ n: 0 }]);
  });

  it('handles a UTF-8 byte order mark before the header', async () => {
    expect((await bronzeColumns('erp_px_cat_g1v2')).map((c) => c.column_name)).toEqual(['id', 'cat', 'subcat', 'maintenance', '_source_file', '_source_line']);
    expect(await rows('select id, cat, subcat, maintenance from bronze.erp_px_cat_g1v2 order by id desc')).toEqual([
      { id: 'BI_RB', cat: 'Bikes', subcat: 'Road Bikes', maintenance: 'Yes' },
      { id: 'BI_MB', cat: 'Bikes', subcat: 'Mountain Bikes', maintenance: 'No' },
    ]);
  });

  it('numbers lines from the header (line 1), with CRLF line ends', async () => {
    const loc = await rows('select cid, cntry, _source_line from bronze.erp_loc_a101 order by cid');
    expect(loc[0]).toEqual({ cid: 'AW-00011000', cntry: 'Australia', _source_line: 2 });
    expect(loc[1]).toEqual({ cid: 'AW-00011001', cntry: 'DE', _source_line: 3 });
    expect(loc.map((r) => r.cid)).toEqual(['AW-00011000', 'AW-00011001', 'AW-00011002']);
  });

  it('keeps a quoted value spanning two lines as one value', async () => {
    expect(await rows("select comment from bronze.erp_loc_a101 where cid = 'AW-00011001'")).toEqual([{ comment: 'two\r\nlines' }]);
  });

  it('gives a record after a value spanning two lines the line it is on in the file', async () => {
    // Lines: 1 header, 2 AW-00011000, 3-4 AW-00011001 ("two" / "lines"), 5 AW-00011002.
    expect(await rows("select cid, cntry, _source_line from bronze.erp_loc_a101 where cid = 'AW-00011002'")).toEqual([
      { cid: 'AW-00011002', cntry: ' US ', _source_line: 5 },
    ]);
  });

  it('gives a record after a blank line the line it is on in the file', async () => {
    // Lines: 1 header, 2 BI_RB, 3 empty, 4 BI_MB.
    expect(await rows('select id, _source_line from bronze.erp_px_cat_g1v2 order by _source_line')).toEqual([
      { id: 'BI_RB', _source_line: 2 },
      { id: 'BI_MB', _source_line: 4 },
    ]);
  });
});
