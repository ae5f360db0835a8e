/** Model editing without the engine: checks, overrides, pending changes, last runs, diff, lineage layout. */
import { describe, expect, it } from 'vitest';
import { loadModelFiles } from '../../src/cli/node-inputs.ts';
import { buildDag } from '../../src/pipeline/dag.ts';
import type { RunReport } from '../../src/pipeline/types.ts';
import { lineDiff, withContext } from '../../src/lib/workbench/line-diff.ts';
import { downstreamIds, layoutLineage, NODE_HEIGHT, NODE_WIDTH, upstreamIds } from '../../src/lib/workbench/lineage-layout.ts';
import { checkModel, mergeRuns, newKpiPath, pendingChanges, withOverrides } from '../../src/sql/model-check.ts';

const shipped = await loadModelFiles();
const SEGMENTS = 'models/segmentation/customer_segments.sql';
const segmentsSql = shipped.find((m) => m.path === SEGMENTS)!.sql;

describe('checking a model', () => {
  it('accepts the shipped models and a small new KPI model', () => {
    for (const m of shipped.filter((f) => /models\/(silver|rejects|gold|kpi|segmentation)\//.test(f.path))) {
      expect(checkModel(m.path, m.sql, shipped), m.path).toEqual([]);
    }
    expect(checkModel(newKpiPath('by_weekday'), '-- grain: one row per weekday\nselect dayname(order_date) as d, count(*) as n from gold.fact_sales group by all', shipped)).toEqual([]);
  });

  it('names each broken rule', () => {
    const messages = (path: string, sql: string) => checkModel(path, sql, shipped).map((p) => p.message);
    expect(messages('models/kpi/Bad Name.sql', 'select 1')).toEqual([expect.stringMatching(/lives at models\/<layer>\/<name>\.sql/)]);
    expect(messages(newKpiPath('x'), 'select 1 as x from gold.fact_sales')).toEqual([expect.stringMatching(/line 1 must state the grain/)]);
    expect(messages(newKpiPath('x'), '-- grain: x\nselect 1; select 2')).toEqual(['a model is exactly one query; this text has 2 statements']);
    expect(messages(newKpiPath('x'), '-- grain: x\ndelete from gold.fact_sales')).toEqual([expect.stringMatching(/a model is a query/)]);
    expect(messages(newKpiPath('x'), '-- grain: x\nselect * from silver.crm_sales_details')).toEqual([
      'kpi.x reads silver.crm_sales_details: the kpi layer may read only gold and kpi',
    ]);
    expect(messages(newKpiPath('x'), '-- grain: x\nselect * from gold.no_such_table')).toEqual(['kpi.x reads gold.no_such_table, which does not exist']);
    expect(messages('models/gold/fact_sales.sql', '-- grain: x\nselect * from kpi.overview')).toEqual(expect.arrayContaining([
      'gold.fact_sales reads kpi.overview: the gold layer may read only silver and gold',
    ]));
  });
});

describe('overrides and what the results reflect', () => {
  const edited = segmentsSql.replace('0.66', '0.9');
  const added = { path: newKpiPath('by_weekday'), sql: '-- grain: x\nselect 1 as one from gold.fact_sales' };

  it('applies overrides over the shipped models and adds new ones', () => {
    const merged = withOverrides(shipped, [{ path: SEGMENTS, sql: edited }, added]);
    expect(merged).toHaveLength(shipped.length + 1);
    expect(merged.find((m) => m.path === SEGMENTS)!.sql).toBe(edited);
    expect(buildDag(merged).byId.has('kpi.by_weekday')).toBe(true);
  });

  it('knows which changes the results do not reflect yet', () => {
    expect(pendingChanges(shipped, [], {})).toEqual({ from: [], drop: [] });
    expect(pendingChanges(shipped, [{ path: SEGMENTS, sql: edited }, added], {})).toEqual({ from: ['segmentation.customer_segments', 'kpi.by_weekday'], drop: [] });
    // after a re-run applied them, nothing is pending
    const applied = { [SEGMENTS]: edited, [added.path]: added.sql };
    expect(pendingChanges(shipped, [{ path: SEGMENTS, sql: edited }, added], applied)).toEqual({ from: [], drop: [] });
    // reset and removal: the shipped SQL is rebuilt, the added table is dropped
    expect(pendingChanges(shipped, [], applied)).toEqual({ from: ['segmentation.customer_segments'], drop: ['kpi.by_weekday'] });
  });

  it('keeps the last run of every model over full runs and re-runs', () => {
    const model = (id: string, rows: number) => ({ id, state: 'success' as const, rows, log: '' });
    const task = (id: RunReport['tasks'][number]['id'], state: RunReport['tasks'][number]['state'], models: ReturnType<typeof model>[], log: string[] = []) => ({ id, state, models, log });
    const report = (runId: string, tasks: RunReport['tasks']): RunReport => ({ runId, state: 'success', startedAt: 0, inputs: [], tasks, findings: [], tables: {}, exports: [] });
    const full = report('a', [task('ingest_bronze', 'success', [model('bronze.x', 1)]), task('run_gold', 'success', [model('gold.fact_sales', 10)])]);
    const rerun = report('b', [task('ingest_bronze', 'skipped', [], ['re-run from gold.fact_sales: ...']), task('run_gold', 'success', [model('gold.fact_sales', 7)])]);
    const known = mergeRuns(mergeRuns({}, full), rerun);
    expect(Object.keys(known).sort()).toEqual(['bronze.x', 'gold.fact_sales']);
    expect(known['gold.fact_sales'].rows).toBe(7);
    expect(Object.keys(mergeRuns(known, report('c', [task('run_gold', 'success', [model('gold.dim_products', 3)])])))).toEqual(['gold.dim_products']);
  });
});

describe('line diff', () => {
  it('finds changed lines with their numbers', () => {
    const diff = lineDiff('a\nb\nc\nd', 'a\nB\nc\nd\ne');
    expect(diff).toEqual([
      { kind: 'same', text: 'a', oldNo: 1, newNo: 1 },
      { kind: 'add', text: 'B', newNo: 2 },
      { kind: 'del', text: 'b', oldNo: 2 },
      { kind: 'same', text: 'c', oldNo: 3, newNo: 3 },
      { kind: 'same', text: 'd', oldNo: 4, newNo: 4 },
      { kind: 'add', text: 'e', newNo: 5 },
    ]);
    expect(lineDiff('x\ny', 'x\ny').every((l) => l.kind === 'same')).toBe(true);
  });

  it('shows a cut-off change in a long model with a little context', () => {
    const shown = withContext(lineDiff(segmentsSql, segmentsSql.replace('quantile_cont(total_sales, 0.66)', 'quantile_cont(total_sales, 0.9)')), 1);
    expect(shown.filter((l) => l && l.kind !== 'same').map((l) => `${l!.kind} ${l!.text.trim()}`)).toEqual([
      'add quantile_cont(total_sales, 0.9) as high_cutoff,',
      'del quantile_cont(total_sales, 0.66) as high_cutoff,',
    ]);
    expect(shown.length).toBeLessThan(8);
    expect(shown[0]).not.toBeNull();
  });
});

describe('lineage layout', () => {
  const dag = buildDag(shipped);
  const layout = layoutLineage(dag);

  it('places every model and source once, layers left to right, without overlaps', () => {
    expect(layout.nodes.map((n) => n.id).sort()).toEqual([...dag.models.map((m) => m.id), ...layout.nodes.filter((n) => n.layer === 'bronze').map((n) => n.id)].sort());
    const x = (layer: string) => layout.nodes.find((n) => n.layer === layer)!.x;
    expect(x('bronze')).toBeLessThan(x('silver'));
    expect(x('silver')).toBeLessThan(x('gold'));
    expect(x('gold')).toBeLessThan(x('kpi'));
    for (const a of layout.nodes) {
      for (const b of layout.nodes) {
        if (a === b || a.x !== b.x) continue;
        expect(Math.abs(a.y - b.y), `${a.id} / ${b.id}`).toBeGreaterThanOrEqual(NODE_HEIGHT);
      }
      expect(a.x + NODE_WIDTH).toBeLessThanOrEqual(layout.width);
      expect(a.y + NODE_HEIGHT).toBeLessThanOrEqual(layout.height);
    }
  });

  it('draws one edge per reference and knows up- and downstream', () => {
    const refs = dag.models.reduce((n, m) => n + m.refs.length, 0);
    expect(layout.edges).toHaveLength(refs);
    expect([...upstreamIds(dag, 'segmentation.customer_segments')].sort()).toEqual(expect.arrayContaining(['gold.fact_sales', 'silver.crm_sales_details', 'bronze.crm_sales_details']));
    expect(downstreamIds(dag, 'gold.fact_sales').has('kpi.overview')).toBe(true);
    expect(downstreamIds(dag, 'kpi.overview').size).toBe(0);
  });
});
