import { describe, expect, it } from 'vitest';
import { rows, runOnTexts } from '../helpers/pipeline.ts';

describe('pipeline on the minimal fixture', () => {
  it('runs every task to success and builds the star schema', async () => {
    const { report } = await runOnTexts({});
    expect(report.error).toBeUndefined();
    expect(report.state).toBe('success');
    expect(report.tasks.map((t) => t.state)).toEqual(['success', 'success', 'success', 'success', 'success', 'success', 'skipped']);
    expect(await rows('select order_number, product_key, customer_key, sales_amount from gold.fact_sales')).toEqual([
      { order_number: 'SO1', product_key: 1, customer_key: 1, sales_amount: 3578 },
    ]);
  });
});
