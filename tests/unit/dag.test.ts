import { describe, expect, it } from 'vitest';
import { buildDag, DagError, downstreamOf, findRefs, parseDataTest } from '../../src/pipeline/dag.ts';
import { loadModelFiles } from '../../src/cli/node-inputs.ts';

const model = (path: string, sql: string) => ({ path: `models/${path}.sql`, sql });

function problems(files: { path: string; sql: string }[]): string[] {
  try {
    buildDag(files);
  } catch (e) {
    if (e instanceof DagError) return e.problems;
    throw e;
  }
  return [];
}

describe('references', () => {
  it('finds schema.table references, ignoring comments and strings', () => {
    const sql = `-- reads gold.ignored\nselect 'silver.not_a_ref' from silver.a join Silver . B on 1 /* kpi.x */`;
    expect(findRefs(sql)).toEqual(['silver.a', 'silver.b']);
  });
});

describe('the DAG checker', () => {
  it('orders models so every dependency comes first', () => {
    const dag = buildDag([
      model('gold/fact', 'select * from gold.dim join silver.s on true'),
      model('gold/dim', 'select * from silver.s'),
      model('silver/s', 'select * from bronze.crm_sales_details'),
      model('kpi/k', 'select * from gold.fact'),
    ]);
    expect(dag.models.map((m) => m.id)).toEqual(['silver.s', 'gold.dim', 'gold.fact', 'kpi.k']);
    expect(dag.downstream.get('gold.dim')).toEqual(['gold.fact']);
    expect(downstreamOf(dag, 'gold.dim').map((m) => m.id)).toEqual(['gold.dim', 'gold.fact', 'kpi.k']);
  });

  it('reports cycles', () => {
    expect(problems([model('gold/a', 'select * from gold.b'), model('gold/b', 'select * from gold.a')])).toEqual([
      'cycle among gold.a, gold.b',
    ]);
    expect(problems([model('gold/a', 'select * from gold.a')])).toContain('gold.a reads itself');
  });

  it('reports layer violations and missing tables', () => {
    expect(problems([model('silver/s', 'select * from bronze.crm_sales_details'), model('kpi/k', 'select * from silver.s')])).toEqual([
      'kpi.k reads silver.s: the kpi layer may read only gold and kpi',
    ]);
    expect(problems([model('silver/s', 'select * from gold.g'), model('gold/g', 'select * from silver.s')])).toContain(
      'silver.s reads gold.g: the silver layer may read only bronze and silver',
    );
    expect(problems([model('silver/s', 'select * from bronze.nope')])).toEqual(['silver.s reads bronze.nope, which does not exist']);
    expect(problems([model('segmentation/x', 'select * from kpi.overview')])).toEqual([
      'segmentation.x reads kpi.overview, which does not exist',
      'segmentation.x reads kpi.overview: the segmentation layer may read only gold and segmentation',
    ]);
  });

  it('places a data test after the highest layer it reads', () => {
    const t = parseDataTest(model('tests/t', '-- severity: warn\n-- description: d\nselect * from gold.a join kpi.b on true'))!;
    expect(t).toMatchObject({ id: 'tests.t', severity: 'warn', description: 'd', layer: 'kpi' });
  });

  it('accepts the shipped models', async () => {
    const dag = buildDag(await loadModelFiles());
    const ids = dag.models.map((m) => m.id);
    for (const id of ['silver.crm_cust_info', 'gold.dim_customers', 'gold.fact_sales', 'kpi.overview', 'segmentation.customer_segments']) {
      expect(ids).toContain(id);
    }
    expect(ids.indexOf('gold.fact_sales')).toBeGreaterThan(ids.indexOf('gold.dim_products'));
    for (const m of dag.models) expect(m.grain, `${m.path} states its grain`).toBeTruthy();
  });
});
