/** Console results in the page: columns, sorting, CSV, chart rows and the quick chart's spec. */
import { tableFromArrays, tableFromIPC, tableToIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { chartSpec, defaultChoice } from '../../src/lib/workbench/chart-spec.ts';
import { cellText, csvParts, ResultReader, resultColumns, rowObjects, sortOrder } from '../../src/lib/workbench/result-table.ts';

// As the page gets it: through Arrow IPC, in several record batches.
const table = tableFromIPC(tableToIPC(tableFromArrays({
  name: ['b', 'a, "quoted"', null as unknown as string, 'c'],
  amount: Float64Array.from([2, 10, 5, 1]),
}), 'stream'));

describe('result table', () => {
  it('describes columns and reads cells', () => {
    expect(resultColumns(table).map((c) => [c.name, c.numeric, c.temporal])).toEqual([['name', false, false], ['amount', true, false]]);
    const reader = new ResultReader(table);
    expect(reader.cell(1, 0)).toBe('a, "quoted"');
    expect(cellText(reader.cell(2, 0))).toBe('∅');
  });

  it('sorts by a column either way, nulls last, without copying the table', () => {
    const reader = new ResultReader(table);
    expect([...sortOrder(reader, 1, false)]).toEqual([3, 0, 2, 1]);
    expect([...sortOrder(reader, 1, true)]).toEqual([1, 2, 0, 3]);
    expect([...sortOrder(reader, 0, false)]).toEqual([1, 0, 3, 2]);
    expect([...sortOrder(reader, 0, true)]).toEqual([3, 0, 1, 2]);
  });

  it('writes RFC 4180 CSV with a header, NULL as an empty field (the format of every download)', () => {
    const text = Buffer.concat(csvParts(table)).toString('utf8');
    expect(text).toBe('name,amount\nb,2.0\n"a, ""quoted""",10.0\n,5.0\nc,1.0\n');
  });

  it('gives chart rows as objects', () => {
    expect(rowObjects(table, 2)).toEqual([{ name: 'b', amount: 2 }, { name: 'a, "quoted"', amount: 10 }]);
  });
});

describe('quick chart', () => {
  const columns = [
    { name: 'month', numeric: false, temporal: true },
    { name: 'sales.total', numeric: true, temporal: false },
    { name: 'country', numeric: false, temporal: false },
  ];

  it('starts with a line over time, or a bar per category', () => {
    expect(defaultChoice(columns)).toEqual({ mark: 'line', x: 'month', y: 'sales.total', aggregate: 'sum' });
    expect(defaultChoice(columns.slice(1))).toEqual({ mark: 'bar', x: 'country', y: 'sales.total', aggregate: 'sum' });
    expect(defaultChoice([columns[2]])).toBeUndefined();
  });

  it('builds a Vega-Lite spec with escaped field names and no remote schema', () => {
    const spec = chartSpec({ mark: 'bar', x: 'country', y: 'sales.total', color: 'month', aggregate: 'mean' }, columns, [{ country: 'DE', 'sales.total': 1 }], 'Sales');
    expect(spec).toMatchObject({
      title: 'Sales',
      mark: { type: 'bar', tooltip: true },
      encoding: {
        x: { field: 'country', type: 'nominal', sort: null },
        y: { field: 'sales\\.total', type: 'quantitative', aggregate: 'mean', title: 'mean of sales.total' },
        color: { field: 'month', type: 'temporal' },
      },
    });
    expect(JSON.stringify(spec)).not.toMatch(/https?:/);
    const arc = chartSpec({ mark: 'arc', x: 'country', y: 'sales.total', aggregate: 'none' }, columns, []);
    expect(arc).toMatchObject({ encoding: { theta: { field: 'sales\\.total' }, color: { field: 'country', type: 'nominal' } } });
  });
});
