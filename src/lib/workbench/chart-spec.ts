/**
 * The quick chart of a console result: a few choices (mark, x, y, colour, how to
 * aggregate y) turned into a Vega-Lite spec over the result's rows.
 */
import type { TopLevelSpec } from 'vega-lite';

export const MARKS = ['bar', 'line', 'point', 'area', 'arc'] as const;
export type ChartMark = (typeof MARKS)[number];
export const AGGREGATES = ['sum', 'mean', 'count', 'none'] as const;
export type ChartAggregate = (typeof AGGREGATES)[number];

export interface ChartChoice {
  mark: ChartMark;
  x: string;
  y: string;
  color?: string;
  aggregate: ChartAggregate;
}

export interface ChartColumn {
  name: string;
  numeric: boolean;
  temporal: boolean;
}

/** Rows a chart shows at most (the rest would only slow the browser down). */
export const CHART_MAX_ROWS = 10_000;

/** A sensible first chart: the first text or date column against the first number. */
export function defaultChoice(columns: ChartColumn[]): ChartChoice | undefined {
  const y = columns.find((c) => c.numeric);
  const x = columns.find((c) => c !== y && !c.numeric) ?? columns.find((c) => c !== y);
  if (!x || !y) return undefined;
  return { mark: x.temporal ? 'line' : 'bar', x: x.name, y: y.name, aggregate: 'sum' };
}

/** Vega-Lite reads `.` and `[]` in field names as paths; escape them. */
function field(name: string): string {
  return name.replace(/([.[\]\\])/g, '\\$1');
}

function typeOf(column: ChartColumn | undefined): 'quantitative' | 'temporal' | 'nominal' {
  if (!column) return 'nominal';
  return column.temporal ? 'temporal' : column.numeric ? 'quantitative' : 'nominal';
}

/** The Vega-Lite spec for a choice over rows of plain values. */
export function chartSpec(choice: ChartChoice, columns: ChartColumn[], values: Record<string, unknown>[], title?: string): TopLevelSpec {
  const col = (name: string | undefined) => columns.find((c) => c.name === name);
  const y = {
    field: field(choice.y),
    type: 'quantitative' as const,
    ...(choice.aggregate === 'none' ? {} : { aggregate: choice.aggregate }),
    title: choice.aggregate === 'none' ? choice.y : `${choice.aggregate} of ${choice.y}`,
  };
  const x = { field: field(choice.x), type: typeOf(col(choice.x)), title: choice.x };
  const color = choice.color ? { field: field(choice.color), type: typeOf(col(choice.color)), title: choice.color } : undefined;
  const encoding = choice.mark === 'arc'
    ? { theta: y, color: { ...x, type: 'nominal' as const } }
    // Categories keep the order of the rows: the query's `order by` decides.
    : { x: x.type === 'nominal' ? { ...x, sort: null } : x, y, ...(color ? { color } : {}) };
  return {
    ...(title ? { title } : {}),
    width: 'container',
    height: 280,
    autosize: { type: 'fit', contains: 'padding' },
    data: { values: values.slice(0, CHART_MAX_ROWS) },
    mark: { type: choice.mark, tooltip: true },
    encoding,
  } as TopLevelSpec;
}
