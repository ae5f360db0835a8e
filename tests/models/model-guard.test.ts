/**
 * The worker's model checks on a fresh engine, before any run: a model is refused when
 * it hides a second statement or when DuckDB cannot build it, though there are no
 * results to check it against; a good one passes; the check leaves the engine as it was.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelFile } from '../../src/pipeline/dag.ts';
import type { WasmEngine } from '../../src/duckdb/wasm-engine.ts';
import { openNodeEngine } from '../../src/duckdb/wasm-node.ts';
import { modelProblems, overrideProblems } from '../../src/workers/models/model-guard.ts';
import { shippedModels } from '../helpers/pipeline.ts';

let engine: WasmEngine;
let shipped: ModelFile[];
const KPI = 'models/kpi/pwn.sql';
const HIDDEN = "-- grain: one row\nselect $é$ ' $é$; set variable pwned = 42; --'";

beforeAll(async () => {
  engine = await openNodeEngine();
  shipped = await shippedModels();
});

const messages = async (path: string, sql: string, overrides: ModelFile[] = []) =>
  (await modelProblems(engine, shipped, path, sql, overrides)).map((p) => p.message);

describe('checking a model with no results yet', () => {
  it('refuses text that hides a second statement', async () => {
    expect(await messages(KPI, HIDDEN)).toEqual(['a model is exactly one query; this text has 2 statements']);
  });

  it('asks DuckDB: unknown columns and functions are found on empty inputs, with their place', async () => {
    const sql = '-- grain: one row per weekday\nselect dayname(order_date) as weekday, sum(no_such_column) as x\nfrom gold.fact_sales\ngroup by all';
    const [problem] = await modelProblems(engine, shipped, KPI, sql, []);
    expect(problem.message).toMatch(/^Binder Error: Referenced column "no_such_column" not found/);
    expect(sql.slice(problem.offset, problem.offset! + 'no_such_column'.length)).toBe('no_such_column');
    expect(await messages(KPI, '-- grain: x\nselect no_such_function(1) as y from gold.dim_products')).toEqual([expect.stringMatching(/no_such_function/)]);
  });

  it('passes a good model and an edit of a shipped one, and leaves the engine as it was', async () => {
    expect(await messages(KPI, '-- grain: one row per weekday\nselect dayname(order_date) as weekday, total_sales(sales_amount) as sales\nfrom gold.fact_sales\ngroup by all')).toEqual([]);
    const segments = shipped.find((m) => m.path === 'models/segmentation/customer_segments.sql')!;
    expect(await messages(segments.path, segments.sql.replace('0.66', '0.9'))).toEqual([]);
    const state = await engine.query('select current_database() as db, (select count(*) from duckdb_databases())::integer as catalogs, getvariable(\'pwned\') as pwned');
    expect(state).toEqual([{ db: 'memory', catalogs: 3, pwned: null }]);
  });

  it('names an upstream override DuckDB refuses', async () => {
    const gold = shipped.find((m) => m.path === 'models/gold/fact_sales.sql')!;
    const broken = { path: gold.path, sql: gold.sql.replace('select', 'select no_such_column,') };
    expect(await messages(KPI, '-- grain: one row\nselect count(*) as n from gold.fact_sales', [broken])).toEqual([
      expect.stringMatching(/^it reads gold\.fact_sales, which DuckDB refuses: Binder Error/),
    ]);
  });
});

describe('checking saved overrides again before a re-run', () => {
  it('refuses anything that is not a model, breaks the rules or does not build', async () => {
    const problems = await overrideProblems(engine, shipped, [
      { path: 'models/measures.sql', sql: 'create or replace macro total_sales(x) as 1; set variable pwned = 42;' },
      { path: KPI, sql: HIDDEN },
    ]);
    expect(problems).toEqual([
      'models/measures.sql is not a model file (models/<layer>/<name>.sql)',
      `${KPI}: a model is exactly one query; this text has 2 statements`,
    ]);
    expect(await overrideProblems(engine, shipped, [{ path: KPI, sql: '-- grain: x\nselect nope from gold.fact_sales' }])).toEqual([
      expect.stringMatching(/^models\/kpi\/pwn\.sql: Binder Error: Referenced column "nope" not found/),
    ]);
    expect(await overrideProblems(engine, shipped, [])).toEqual([]);
  });
});
