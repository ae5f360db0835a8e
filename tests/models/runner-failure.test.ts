/**
 * DAG/runner on data: an error-severity validation finding fails validate_data with a message
 * naming the file, the column and the line; later tasks are upstream_failed; the previous run's
 * results stay in place.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/pipeline/types.ts';
import { rows, runOnTexts } from '../helpers/pipeline.ts';

const csv = (...lines: string[]) => `${lines.join('\n')}\n`;
const HEADER = 'sls_ord_num,sls_prd_key,sls_cust_id,sls_order_dt,sls_ship_dt,sls_due_dt,sls_sales,sls_quantity,sls_price';

const GOOD = csv(
  HEADER,
  'SO1,BK-R93R-62,11000,20101229,20110105,20110110,3578,1,3578',
  'SO2,BK-R93R-62,11000,20110301,20110308,20110313,7156,2,3578',
);
// Line 3 has a quantity that is not a whole number: an error-severity contract check.
const BAD = csv(
  HEADER,
  'SO3,BK-R93R-62,11000,20120101,20120108,20120113,3578,1,3578',
  'SO4,BK-R93R-62,11000,20120201,20120208,20120213,3578,abc,3578',
  'SO5,BK-R93R-62,11000,20120301,20120308,20120313,3578,1,3578',
);

const factRows = () => rows('select order_number, sales_amount, quantity from gold.fact_sales order by order_number');
const GOOD_FACT = [
  { order_number: 'SO1', sales_amount: 3578, quantity: 1 },
  { order_number: 'SO2', sales_amount: 7156, quantity: 2 },
];

let good: RunReport;
let bad: RunReport;
let afterBad: Record<string, unknown>[];
let overviewAfterBad: Record<string, unknown>[];

beforeAll(async () => {
  ({ report: good } = await runOnTexts({ crm_sales_details: GOOD }));
  ({ report: bad } = await runOnTexts({ crm_sales_details: BAD }));
  afterBad = await factRows();
  overviewAfterBad = await rows('select total_sales::double as total_sales, total_orders::integer as total_orders from kpi.overview');
});

describe('a run that fails validation', () => {
  it('the good run succeeds first', () => {
    expect(good.error).toBeUndefined();
    expect(good.state).toBe('success');
  });

  it('fails validate_data; ingest succeeded; every later task is upstream_failed', () => {
    expect(bad.state).toBe('failed');
    expect(bad.tasks.map((t) => [t.id, t.state])).toEqual([
      ['ingest_bronze', 'success'],
      ['validate_data', 'failed'],
      ['run_silver', 'upstream_failed'],
      ['run_gold', 'upstream_failed'],
      ['run_kpi', 'upstream_failed'],
      ['run_segmentation', 'upstream_failed'],
      ['export_for_powerbi', 'upstream_failed'],
    ]);
    expect(bad.tables).toEqual({});
  });

  it('names the file, the column and the line in the run error and in the task error', () => {
    const validate = bad.tasks.find((t) => t.id === 'validate_data')!;
    for (const message of [bad.error, validate.error]) {
      expect(message).toBeDefined();
      expect(message).toContain('crm_sales_details.csv');
      expect(message).toContain('sls_quantity');
      expect(message).toMatch(/\bline 3\b/);
    }
  });

  it('reports exactly one error finding, with the file, the column, the count and the sample line', () => {
    const errors = bad.findings.filter((f) => f.severity === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ target: 'crm_sales_details', file: 'crm_sales_details.csv', column: 'sls_quantity', count: 1 });
    expect(errors[0].sample).toEqual([{ line: 3, sls_quantity: 'abc' }]);
  });

  it('keeps the previous run\'s results in place', () => {
    expect(afterBad).toEqual(GOOD_FACT);
    expect(overviewAfterBad).toEqual([{ total_sales: 10734, total_orders: 2 }]);
  });

  it('a later good run replaces them', async () => {
    const fixed = BAD.replace(',abc,', ',1,');
    const { report } = await runOnTexts({ crm_sales_details: fixed });
    expect(report.state).toBe('success');
    expect(await factRows()).toEqual([
      { order_number: 'SO3', sales_amount: 3578, quantity: 1 },
      { order_number: 'SO4', sales_amount: 3578, quantity: 1 },
      { order_number: 'SO5', sales_amount: 3578, quantity: 1 },
    ]);
  });
});
