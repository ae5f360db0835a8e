import { describe, expect, it } from 'vitest';
import {
  filterChips, filtersToParams, filtersToWhere, hasFilters, parseFilters, pickValue, removeChip, setDateRange,
  type DashboardFilters,
} from '../../src/shared/filters.ts';

const HOSTILE = ["O'Brien", "'); drop table x; --", '" or 1=1 --', 'a?b', '$1'];

describe('filtersToWhere', () => {
  it('is empty without filters', () => {
    expect(filtersToWhere({ values: {} })).toEqual({ sql: '', params: [] });
  });

  it('binds every value as a parameter, in order, on known columns only', () => {
    const filters: DashboardFilters = {
      from: '2013-01-01',
      to: '2013-12-31',
      values: { country: ['Germany', 'France'], category: ['Bikes'], segment: ['High'] },
    };
    expect(filtersToWhere(filters)).toEqual({
      sql: 'where order_date >= cast(? as date) and order_date <= cast(? as date) and category in (?) and country in (?, ?) and value_segment in (?)',
      params: ['2013-01-01', '2013-12-31', 'Bikes', 'Germany', 'France', 'High'],
    });
  });

  it('never puts a hostile value into the SQL text', () => {
    const { sql, params } = filtersToWhere({ values: { country: HOSTILE, rfm: ["O'Brien"] } });
    expect(sql).toBe('where country in (?, ?, ?, ?, ?) and rfm_segment in (?)');
    expect(params).toEqual([...HOSTILE, "O'Brien"]);
    for (const v of HOSTILE) expect(sql).not.toContain(v);
  });

  it('ignores keys that are not dimensions and dates that are not days', () => {
    const forged = { from: "2013-01-01'; drop table x; --", to: '2013-02-30', values: { "country) or (1=1": ['x'] } } as unknown as DashboardFilters;
    expect(filtersToWhere(forged)).toEqual({ sql: '', params: [] });
  });

  it('leaves out the excluded filters (a chart does not filter by its own dimension)', () => {
    const filters: DashboardFilters = { from: '2012-01-01', values: { category: ['Bikes'], country: ['Canada'] } };
    expect(filtersToWhere(filters, ['category', 'date'])).toEqual({ sql: 'where country in (?)', params: ['Canada'] });
  });

  it('drops NUL and overlong values, which no dimension can hold', () => {
    expect(filtersToWhere({ values: { gender: ['a\u0000b', 'x'.repeat(201), 'Female'] } })).toEqual({ sql: 'where gender in (?)', params: ['Female'] });
  });
});

describe('URL round trip', () => {
  it('reads and writes repeated keys and keeps other parameters', () => {
    const params = new URLSearchParams('grain=year&country=Germany&country=O%27Brien&from=2013-01-01&line=Road&bogus=1');
    const filters = parseFilters(params);
    expect(filters).toEqual({ from: '2013-01-01', values: { line: ['Road'], country: ['Germany', "O'Brien"] } });
    const back = filtersToParams(filters, params);
    expect(back.get('grain')).toBe('year');
    expect(back.getAll('country')).toEqual(['Germany', "O'Brien"]);
    expect(parseFilters(back)).toEqual(filters);
  });

  it('drops invalid dates and duplicate values', () => {
    const filters = parseFilters(new URLSearchParams('from=2013-13-01&to=yesterday&gender=Male&gender=Male'));
    expect(filters).toEqual({ values: { gender: ['Male'] } });
  });

  it('round-trips hostile values unchanged', () => {
    const filters: DashboardFilters = { values: { subcategory: HOSTILE } };
    expect(parseFilters(new URLSearchParams(filtersToParams(filters).toString()))).toEqual(filters);
  });
});

describe('changing filters', () => {
  const base: DashboardFilters = { values: { country: ['Germany'] } };

  it('a click keeps one value; clicking it again clears it', () => {
    const one = pickValue(base, 'country', 'France');
    expect(one.values.country).toEqual(['France']);
    expect(pickValue(one, 'country', 'France').values.country).toBeUndefined();
  });

  it('an additive click adds or removes a value', () => {
    const two = pickValue(base, 'country', 'France', true);
    expect(two.values.country).toEqual(['Germany', 'France']);
    expect(pickValue(two, 'country', 'Germany', true).values.country).toEqual(['France']);
  });

  it('lists chips and removes them one by one', () => {
    const filters = setDateRange(pickValue(base, 'category', 'Bikes'), '2013-01-01', '2013-12-31');
    const chips = filterChips(filters);
    expect(chips.map((c) => `${c.label}: ${c.value}`)).toEqual(['Dates: 2013-01-01 to 2013-12-31', 'Category: Bikes', 'Country: Germany']);
    const noDates = removeChip(filters, chips[0]);
    expect(noDates.from).toBeUndefined();
    const noCategory = removeChip(noDates, chips[1]);
    expect(noCategory).toEqual(base);
    expect(hasFilters(removeChip(noCategory, filterChips(noCategory)[0]))).toBe(false);
  });
});
