/**
 * Models built in slices (src/pipeline/model-slices.ts): silver.crm_sales_details and
 * gold.fact_sales built a range of lines per committed statement give exactly the run a
 * one-piece build gives — every table row for row in its stored order, every finding and log
 * line — and a cancel is honoured between slices.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandInputs, inspectPath, registerInputFiles, REPO_ROOT } from '../../src/cli/node-inputs.ts';
import type { Row, SqlEngine, SqlValue } from '../../src/duckdb/sql-engine.ts';
import { runPipeline, type RunOptions } from '../../src/pipeline/runner.ts';
import { RUN_DATE, runSnapshot, shippedModels, testEngine } from '../helpers/pipeline.ts';

const DATASET = path.resolve(REPO_ROOT, '../shared/datasets/retail-dw');

/** The engine, noting the model statements it runs. */
function recording(inner: SqlEngine, seen: string[]): SqlEngine {
  return {
    exec: (sql: string) => inner.exec(sql),
    execOne: (sql: string) => {
      seen.push(sql.split('\n')[0]);
      return inner.execOne(sql);
    },
    query: <T extends Row = Row>(sql: string, params?: SqlValue[]) => inner.query<T>(sql, params),
    copyToBytes: (select: string, options: string) => inner.copyToBytes(select, options),
  };
}

async function runReal(options: Partial<RunOptions>) {
  const engine = await testEngine();
  const inputs = registerInputFiles(engine, await Promise.all((await expandInputs([DATASET])).map((f) => inspectPath(f, path.basename(f), 0))));
  const seen: string[] = [];
  const report = await runPipeline({ engine: recording(engine, seen), models: await shippedModels(), inputs, runDate: RUN_DATE, ...options });
  return { report, seen };
}

const count = (seen: string[], prefix: string) => seen.filter((s) => s.startsWith(prefix)).length;

describe('models in slices', () => {
  it('the real export with slices of 7,000 lines: every table, finding and log line as in one piece', async () => {
    const whole = await runReal({ modelSliceRows: 0 });
    expect(count(whole.seen, 'insert into')).toBe(0);
    const expected = await runSnapshot(whole.report, { modelLogs: true });
    expect(expected.state).toBe('success');
    // 60,398 lines (2 … 60,399): 9 ranges of 7,000 lines, each model one create and 8 inserts
    const sliced = await runReal({ modelSliceRows: 7_000 });
    expect(count(sliced.seen, 'create table silver.crm_sales_details as')).toBe(1);
    expect(count(sliced.seen, 'insert into silver.crm_sales_details')).toBe(8);
    expect(count(sliced.seen, 'insert into gold.fact_sales')).toBe(8);
    expect(count(sliced.seen, 'insert into')).toBe(16);
    expect(await runSnapshot(sliced.report, { modelLogs: true })).toEqual(expected);
  }, 120_000);

  it('a source no larger than a slice is built in one piece (the default at this size)', async () => {
    const { report, seen } = await runReal({});
    expect(report.state).toBe('success');
    expect(count(seen, 'insert into')).toBe(0);
  }, 120_000);

  it('a cancel between two slices stops the run there, and nothing of it is kept', async () => {
    const engine = await testEngine();
    const inputs = registerInputFiles(engine, await Promise.all((await expandInputs([DATASET])).map((f) => inspectPath(f, path.basename(f), 0))));
    const seen: string[] = [];
    let cancel = false;
    const watching: SqlEngine = recording(engine, seen);
    const execOne = watching.execOne;
    watching.execOne = async (sql) => {
      await execOne(sql);
      if (sql.startsWith('create table silver.crm_sales_details')) cancel = true;
    };
    const [{ before }] = await engine.query<{ before: string }>('select current_database() as before');
    const report = await runPipeline({ engine: watching, models: await shippedModels(), inputs, runDate: RUN_DATE, modelSliceRows: 7_000, isCancelled: () => cancel });
    expect(report.state).toBe('cancelled');
    expect(report.error).toBe('cancelled by the user');
    const silver = report.tasks.find((t) => t.id === 'run_silver')!;
    expect(silver.models.find((m) => m.id === 'silver.crm_sales_details')?.state).toBe('failed');
    expect(count(seen, 'insert into')).toBe(0);
    const [{ after }] = await engine.query<{ after: string }>('select current_database() as after');
    expect(after).toBe(before);
  }, 120_000);
});
