/**
 * Vega-Lite specs for the chart kinds. The rows arrive as the named dataset
 * `table` (updated in place on a filter change); a boolean `selected` on each row
 * carries the cross-filter highlight, so no data value ever enters an expression.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ChartDef, ColumnDef } from './charts.ts';
import type { TimeGrain } from '../../shared/dashboard-pages.ts';
import { DATASET } from '../vega/chart-view.ts';

type Encoding = Record<string, unknown>;

function tooltip(columns: ColumnDef[], grain: TimeGrain): Encoding[] {
  return columns.map((c) => {
    if (c.kind === 'period') return { field: c.field, title: c.label, type: 'temporal', timeUnit: grain === 'year' ? 'utcyear' : 'utcyearmonth' };
    if (c.kind === 'share') return { field: c.field, title: c.label, type: 'quantitative', format: '.1%' };
    if (c.kind === 'amount' || c.kind === 'count') return { field: c.field, title: c.label, type: 'quantitative', formatType: 'compact' };
    return { field: c.field, title: c.label, type: 'nominal' };
  });
}

function titleOf(def: ChartDef, field: string): string {
  return def.columns.find((c) => c.field === field)?.label ?? field;
}

const VALUE_AXIS = { formatType: 'compact', labelFlush: true, tickCount: 5 };

/** The Vega-Lite spec of one chart (not for `table` charts). */
export function chartSpec(def: ChartDef, grain: TimeGrain, rows: unknown[]): TopLevelSpec {
  const pickable = def.pick !== undefined;
  const opacity = { condition: { test: 'datum.selected', value: 1 }, value: 0.3 };
  const measure = { field: def.measure, type: 'quantitative', title: titleOf(def, def.measure), axis: VALUE_AXIS };
  const color = def.color ? { color: { field: def.color, type: 'nominal', title: titleOf(def, def.color), legend: { orient: 'top' } } } : {};
  const base = {
    description: `${def.title}. ${def.description}`,
    data: { name: DATASET },
    datasets: { [DATASET]: rows },
    width: 'container' as const,
    autosize: { type: 'fit-x' as const, contains: 'padding' as const },
    config: { customFormatTypes: true },
    // Rows come sorted by the engine: the first `limit` are the largest.
    ...(def.limit ? { transform: [{ window: [{ op: 'row_number', as: 'rank' }] }, { filter: `datum.rank <= ${Math.trunc(def.limit)}` }] } : {}),
  };
  const mark = (type: string, extra: Encoding = {}) => ({ type, cursor: pickable ? 'pointer' : 'default', ...extra });
  const tips = tooltip(def.columns, grain);

  switch (def.kind) {
    case 'hbar':
      return {
        ...base,
        height: { step: 20 },
        mark: mark('bar', { cornerRadiusEnd: 2 }),
        encoding: {
          y: { field: def.category, type: 'nominal', sort: null, title: null, axis: { labelLimit: def.labelLimit ?? 170 } },
          x: measure,
          opacity,
          tooltip: tips,
          ...color,
        },
      } as TopLevelSpec;
    case 'vbar':
      return {
        ...base,
        height: 220,
        mark: mark('bar', { cornerRadiusEnd: 2 }),
        encoding: {
          x: { field: def.category, type: 'ordinal', sort: null, title: titleOf(def, def.category), axis: { labelAngle: 0 } },
          y: measure,
          opacity,
          tooltip: tips,
          ...color,
        },
      } as TopLevelSpec;
    case 'arc':
      return {
        ...base,
        height: 220,
        mark: mark('arc', { innerRadius: 55, padAngle: 0.01 }),
        encoding: {
          theta: { field: def.measure, type: 'quantitative', stack: true },
          color: { field: def.category, type: 'nominal', sort: null, title: titleOf(def, def.category), legend: { orient: 'right' } },
          order: { field: def.measure, type: 'quantitative', sort: 'descending' },
          opacity,
          tooltip: tips,
        },
      } as TopLevelSpec;
    case 'time': {
      const x = {
        field: def.category, type: 'temporal', title: null,
        timeUnit: grain === 'year' ? 'utcyear' : 'utcyearmonth',
        axis: { format: grain === 'year' ? '%Y' : '%b %Y', labelOverlap: true },
      };
      if (grain === 'year') {
        return { ...base, height: 220, mark: mark('bar', { cornerRadiusEnd: 2 }), encoding: { x: { ...x, type: 'ordinal' }, y: measure, opacity, tooltip: tips } } as TopLevelSpec;
      }
      return {
        ...base,
        height: 220,
        encoding: { x, y: measure, tooltip: tips },
        layer: [
          { mark: { type: 'line', interpolate: 'monotone', strokeWidth: 2 } },
          { mark: mark('point', { filled: true, size: 36 }), encoding: { opacity } },
        ],
      } as TopLevelSpec;
    }
    default:
      throw new Error(`${def.id} is a table, not a chart`);
  }
}
