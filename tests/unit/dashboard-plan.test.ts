/** How a date range is cut into whole months and end days, and the month bits of the buyers. */
import { describe, expect, it } from 'vitest';
import { monthsMask, relationSql, splitRange } from '../../src/workers/dashboards/plan.ts';
import type { Scope } from '../../src/workers/dashboards/codes.ts';

describe('date ranges over month cubes', () => {
  it('whole months come from the cube, the days at either end from the lines', () => {
    expect(splitRange('2012-03-01', '2012-12-31')).toEqual({ months: { from: '2012-03-01', to: '2012-12-01' }, edges: [] });
    expect(splitRange('2012-03-17', '2013-01-09')).toEqual({
      months: { from: '2012-04-01', to: '2012-12-01' }, edges: [['2012-03-17', '2012-03-31'], ['2013-01-01', '2013-01-09']],
    });
    expect(splitRange('2012-02-10', undefined)).toEqual({ months: { from: '2012-03-01', to: undefined }, edges: [['2012-02-10', '2012-02-29']] });
    expect(splitRange(undefined, '2012-02-28')).toEqual({ months: { from: undefined, to: '2012-01-01' }, edges: [['2012-02-01', '2012-02-28']] });
  });

  it('a range inside one month is one run of days; a reversed range is empty', () => {
    expect(splitRange('2013-06-05', '2013-06-20')).toEqual({ months: null, edges: [['2013-06-05', '2013-06-20']] });
    expect(splitRange('2013-06-01', '2013-06-20')).toEqual({ months: null, edges: [['2013-06-01', '2013-06-20']] });
    expect(splitRange('2013-06-05', '2013-06-30')).toEqual({ months: null, edges: [['2013-06-05', '2013-06-30']] });
    expect(splitRange('2013-07-01', '2013-06-30')).toEqual({ months: null, edges: [] });
  });

  it('the whole months of a range as bits from the first month of the data', () => {
    expect(monthsMask('2010-12-01', '2010-12-01', '2011-02-28')).toBe('7');
    expect(monthsMask('2010-12-01', '2011-01-15', '2011-03-31')).toBe(String(0b1100));
    expect(monthsMask('2010-12-01', '2013-06-05', '2013-06-20')).toBe('0');
    expect(monthsMask('2010-12-01', undefined, '2010-12-31')).toBe('1');
    expect(BigInt(monthsMask('2010-12-01', '2010-01-01', undefined))).toBe((1n << 64n) - 1n);
  });
});

describe('the days at the ends of a date range', () => {
  const range = { from: '2012-03-17', to: '2013-01-09', firstMonth: '2010-12-01' };
  const from = (sql: string) => [...sql.matchAll(/from ([a-z_.]+)/g)].map((m) => m[1]);

  it('come from the smallest cube by day that keeps every filtered dimension, else from the lines', () => {
    const products: Scope = { ...range, codes: { category: [1] }, mask: '6' };
    const customers: Scope = { ...range, codes: { country: [2] } };
    const both: Scope = { ...range, codes: { category: [1], country: [2] }, mask: '6' };
    expect(from(relationSql('cells', products, ['product']).sql)).toEqual(['temp.dash_cube_pm', 'temp.dash_day_cube_pm']);
    expect(from(relationSql('cells', customers, ['customer']).sql)).toEqual(['temp.dash_cube_cm', 'temp.dash_day_cube_cm']);
    expect(from(relationSql('cells', both, ['month']).sql)).toEqual(['temp.dash_cube_by_cn', 'temp.dash_day_cube']);
    expect(from(relationSql('product_cells', products).sql)).toEqual(['temp.dash_product_cube_pm', 'temp.dash_day_product_cube_pm']);
    expect(from(relationSql('product_cells', customers).sql)).toEqual(['temp.dash_product_cube_by_cn', 'dash_agg.lines']);
    expect(from(relationSql('order_counts', customers).sql)).toEqual(['temp.dash_order_cube', 'temp.dash_day_order_cube']);
    expect(from(relationSql('order_counts', products).sql)).toEqual(['temp.dash_order_masks', 'dash_agg.orders']);
  });

  it('whole months under filters on one customer dimension come from the month cubes that keep it alone', () => {
    const one: Scope = { ...range, codes: { category: [1], gender: [1, 2] }, mask: '6' };
    const two: Scope = { ...range, codes: { category: [1], gender: [1], rfm: [3] }, mask: '6' };
    expect(from(relationSql('cells', one, ['product']).sql)).toEqual(['temp.dash_cube_by_ge', 'temp.dash_day_cube']);
    expect(from(relationSql('product_cells', one).sql)).toEqual(['temp.dash_product_cube_by_ge', 'dash_agg.lines']);
    expect(from(relationSql('cells', two, ['product']).sql)).toEqual(['temp.dash_cube', 'temp.dash_day_cube']);
    // a chart grouping by customer codes needs them all
    expect(from(relationSql('cells', one, ['customer']).sql)).toEqual(['temp.dash_cube', 'temp.dash_day_cube']);
  });

  it('whole months of customers come from the buyers counted by month bits, the end days from the orders', () => {
    const sql = relationSql('buyers', { ...range, codes: {} }).sql;
    expect(from(sql)).toEqual(['temp.dash_buyer_months', 'dash_agg.orders']);
  });

  it('new customers by month come from the buyers counted by first month under customer filters, from the orders under a product filter', () => {
    const customers: Scope = { codes: { country: [2] }, firstMonth: '2010-12-01' };
    expect(from(relationSql('first_orders', customers).sql)).toEqual(['temp.dash_buyer_first_months']);
    expect(relationSql('first_orders', customers).params).toEqual([2]);
    expect(from(relationSql('first_orders', { codes: { category: [1] }, mask: '6', firstMonth: '2010-12-01' }).sql)).toEqual(['dash_agg.orders']);
  });

  it('customers under a product filter and a date range are one bit per buyer within each combination of codes', () => {
    const scope: Scope = { ...range, codes: { category: [1], country: [2] }, mask: '6', largestGroup: 1000 };
    const { sql, params } = relationSql('buyers', scope);
    expect(from(sql)).toEqual(['dash_agg.orders']);
    expect(sql).toContain('bitstring_agg(local, 1, 1000)');
    expect(sql).toContain('join temp.dash_buyer_groups');
    // the customer codes, the mask and the days on the orders, then the customer codes on the combinations
    expect(params).toEqual([2, '6', '2012-03-17', '2013-01-09', 2]);
    // without the number of buyers (none bought), the orders grouped by customer as before
    expect(relationSql('buyers', { ...scope, largestGroup: 0 }).sql).not.toContain('bitstring_agg');
  });
});
