/**
 * The filter states one step away (src/workers/dashboards/next-states.ts): every chip
 * removed, every dimension not filtered added (the page's own first), another value of each
 * filter that is on, and the date range
 * steps a user makes from no range, one end, or both.
 */
import { describe, expect, it } from 'vitest';
import { DIMENSIONS, type DashboardFilters } from '../../src/shared/filters.ts';
import type { Dictionary } from '../../src/workers/dashboards/codes.ts';
import { nextStates } from '../../src/workers/dashboards/next-states.ts';

const dict: Dictionary = {
  codes: Object.fromEntries(DIMENSIONS.map((d) => [d.key, new Map([[`${d.key}-a`, 0], [`${d.key}-b`, 1]])])) as Dictionary['codes'],
  classes: [],
  firstMonth: '2010-12-01',
};

describe('states one step away', () => {
  it('from no filters: each dimension, the page\'s own first, then a period and each end of a date range', () => {
    const steps = nextStates({ values: {} }, dict, ['category', 'date', 'country']);
    expect(steps.map((s) => s.kind)).toEqual(Array(11).fill('add'));
    expect(steps.slice(0, 2).map((s) => s.filters)).toEqual([{ values: { category: ['category-a'] } }, { values: { country: ['country-a'] } }]);
    expect(steps.slice(2, 5).map((s) => s.filters)).toEqual([
      { from: '2011-02-01', to: '2011-02-28', values: {} },
      { from: '2011-02-15', values: {} },
      { to: '2011-02-15', values: {} },
    ]);
    expect(steps.slice(5).map((s) => Object.keys(s.filters.values)[0])).toEqual(['subcategory', 'line', 'gender', 'marital', 'segment', 'rfm']);
  });

  it('removes each chip exactly, adds only what is not filtered, and completes or moves a date range', () => {
    const filters: DashboardFilters = { from: '2012-03-17', values: { country: ['France', 'Germany'], gender: ['Female'] } };
    const steps = nextStates(filters, dict, ['country']);
    expect(steps.filter((s) => s.kind === 'remove').map((s) => s.filters)).toEqual([
      { values: filters.values },
      { from: '2012-03-17', values: { country: ['Germany'], gender: ['Female'] } },
      { from: '2012-03-17', values: { country: ['France'], gender: ['Female'] } },
      { from: '2012-03-17', values: { country: ['France', 'Germany'] } },
    ]);
    expect(steps.filter((s) => s.kind === 'change').map((s) => s.filters.values)).toEqual([
      { country: ['country-a'], gender: ['Female'] },
      { country: ['France', 'Germany'], gender: ['gender-a'] },
    ]);
    const added = steps.filter((s) => s.kind === 'add');
    expect(added[0].filters).toEqual({ from: '2012-03-17', to: '2012-05-15', values: filters.values });
    expect(added.slice(1).map((s) => Object.keys(s.filters.values).filter((k) => !(k in filters.values)))).toEqual(
      [['category'], ['subcategory'], ['line'], ['marital'], ['segment'], ['rfm']],
    );
    const both = nextStates({ from: '2012-03-01', to: '2012-08-31', values: {} }, dict, []);
    expect(both.filter((s) => s.kind === 'change').map((s) => [s.filters.from, s.filters.to])).toEqual([['2012-06-15', '2012-08-31'], ['2012-03-01', '2012-05-15']]);
    expect(nextStates({ to: '2012-08-31', values: {} }, dict, []).find((s) => s.kind === 'add' && s.filters.from)?.filters).toEqual({ from: '2012-06-15', to: '2012-08-31', values: {} });
  });
});
