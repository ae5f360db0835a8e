/** Nothing disappears silently: silver's drops are kept with a reason, every repair is counted per rule. */
import { beforeAll, describe, expect, it } from 'vitest';
import { MINIMAL, rows, runOnTexts } from '../helpers/pipeline.ts';

const customers = [
  'cst_id,cst_key,cst_firstname,cst_lastname,cst_marital_status,cst_gndr,cst_create_date',
  '11000,AW00011000, Jon ,Yang,M,M,2025-10-06',
  ',AW00011001,No,Id,S,F,2025-10-06',
  'x12,AW00011002,Bad,Id,S,F,2025-10-06',
  '11003,AW00011003,Old,Copy,S,F,2025-01-01',
  '11003,AW00011003,New,Copy,Q,,2025-06-01',
].join('\n') + '\n';

const sales = [
  MINIMAL.crm_sales_details.trimEnd(),
  'SO2,BK-R93R-62,11000,0,20110105,2011011,10,2,5',
  'SO3,BK-R93R-62,11000,20110101,20110105,20110110,,1,-7',
].join('\n') + '\n';

beforeAll(async () => {
  const { report } = await runOnTexts({ crm_cust_info: customers, crm_sales_details: sales });
  expect(report.error).toBeUndefined();
});

describe('the quarantine', () => {
  it('keeps every dropped customer record with its reason and line', async () => {
    expect(await rows('select _source_line, cst_id, cst_firstname, reject_reason from rejects.crm_cust_info order by _source_line')).toEqual([
      { _source_line: 3, cst_id: null, cst_firstname: 'No', reject_reason: 'cst_id is missing or not a number' },
      { _source_line: 4, cst_id: 'x12', cst_firstname: 'Bad', reject_reason: 'cst_id is missing or not a number' },
      { _source_line: 5, cst_id: '11003', cst_firstname: 'Old', reject_reason: 'older record of cst_id 11003 (kept line 6)' },
    ]);
  });

  it('counts each rule that dropped or repaired rows, with the first lines', async () => {
    const repairs = await rows(`select model, action, rule, rows, first_lines from rejects.repairs
      where model in ('crm_cust_info', 'crm_sales_details') order by model, action, rule`);
    expect(repairs).toEqual([
      { model: 'crm_cust_info', action: 'dropped', rule: 'cst_id missing or not a number', rows: 2, first_lines: '3, 4' },
      { model: 'crm_cust_info', action: 'dropped', rule: 'older duplicate of a cst_id', rows: 1, first_lines: '5' },
      { model: 'crm_cust_info', action: 'repaired', rule: 'gender unknown: n/a', rows: 1, first_lines: '6' },
      { model: 'crm_cust_info', action: 'repaired', rule: 'marital status unknown: n/a', rows: 1, first_lines: '6' },
      { model: 'crm_cust_info', action: 'repaired', rule: 'names trimmed', rows: 1, first_lines: '2' },
      { model: 'crm_sales_details', action: 'repaired', rule: 'invalid due date: NULL', rows: 1, first_lines: '3' },
      { model: 'crm_sales_details', action: 'repaired', rule: 'invalid order date: NULL', rows: 1, first_lines: '3' },
      { model: 'crm_sales_details', action: 'repaired', rule: 'price derived from sales ÷ quantity', rows: 1, first_lines: '4' },
      { model: 'crm_sales_details', action: 'repaired', rule: 'sales recomputed as quantity × price', rows: 1, first_lines: '4' },
    ]);
  });

  it('accounts for every bronze customer row: kept in silver or kept in rejects', async () => {
    const [{ bronze, silver, rejected }] = await rows(`select
      (select count(*) from bronze.crm_cust_info)::integer as bronze,
      (select count(*) from silver.crm_cust_info)::integer as silver,
      (select count(*) from rejects.crm_cust_info)::integer as rejected`);
    expect(bronze).toBe(5);
    expect(Number(silver) + Number(rejected)).toBe(bronze);
  });
});
