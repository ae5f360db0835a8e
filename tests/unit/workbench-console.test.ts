/** The console on the real engine: results, caps, errors, confirmation, scratch copies, cancel. */
import { tableFromIPC } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import { openNodeEngine } from '../../src/duckdb/wasm-node.ts';
import { profileColumn, readCatalog } from '../../src/workers/console/catalog.ts';
import { runConsole, type ConsoleOutcome } from '../../src/workers/console/console-exec.ts';
import type { WasmEngine } from '../../src/duckdb/wasm-engine.ts';

let e: WasmEngine;

beforeAll(async () => {
  e = await openNodeEngine();
  // A stand-in for the results catalog of a run: a catalog made the default with `use`.
  await e.exec(`attach ':memory:' as stage_1; use stage_1; create schema gold;
    create table gold.fact_sales as select i as line, 'SO' || (i // 2) as order_number, i * 10 as sales_amount from range(1, 101) t(i);`);
});

const run = (text: string, extra: { confirmed?: boolean; maxRows?: number; isCancelled?: () => boolean } = {}) =>
  runConsole(e, { text, maxRows: 1_000_000, ...extra });

function table(outcome: ConsoleOutcome) {
  expect(outcome.kind, JSON.stringify(outcome).slice(0, 300)).toBe('result');
  if (outcome.kind !== 'result') throw new Error('no result');
  return tableFromIPC(outcome.chunks);
}

describe('console', () => {
  it('returns the last statement\'s rows as Arrow', async () => {
    const outcome = await run('select 1;\nselect count(*)::integer as n, sum(sales_amount)::double as s from gold.fact_sales');
    const t = table(outcome);
    expect(t.numRows).toBe(1);
    expect(t.getChild('n')!.get(0)).toBe(100);
    expect(t.getChild('s')!.get(0)).toBe(50_500);
    expect(outcome).toMatchObject({ rows: 1, capped: false, statements: 2, wroteScratch: false });
  });

  it('stops fetching at the row cap and says so', async () => {
    const outcome = await run('select * from range(100000)', { maxRows: 5000 });
    expect(outcome).toMatchObject({ kind: 'result', capped: true, maxRows: 5000 });
    if (outcome.kind === 'result') {
      expect(outcome.rows).toBeGreaterThanOrEqual(5000);
      expect(outcome.rows).toBeLessThan(10_000);
      expect(table(outcome).numRows).toBe(outcome.rows);
    }
    expect(await run('select * from range(4000)', { maxRows: 5000 })).toMatchObject({ rows: 4000, capped: false });
  });

  it('places errors in the whole text, statement by statement', async () => {
    const text = 'select 1;\n\nselect\n  nope\nfrom gold.fact_sales';
    const outcome = await run(text);
    expect(outcome.kind).toBe('error');
    if (outcome.kind !== 'error') return;
    expect(outcome.message).toMatch(/^Binder Error: Referenced column "nope" not found/);
    expect(text.slice(outcome.offset, outcome.offset! + 4)).toBe('nope');
    const syntax = await run('select 1 fro gold.fact_sales');
    expect(syntax).toMatchObject({ kind: 'error', message: expect.stringMatching(/^Parser Error: syntax error at or near "gold"/) });
  });

  it('refuses statements that would leave the results, before running anything', async () => {
    const outcome = await run('create table scratch.x as select 1; use scratch');
    expect(outcome).toMatchObject({ kind: 'refused', reasons: [{ statement: 'use scratch' }] });
    expect(await e.query(`select count(*)::integer as n from duckdb_tables() where database_name = 'scratch'`)).toEqual([{ n: 0 }]);
  });

  it('asks before a write, then changes a scratch copy and never the stored table', async () => {
    const ask = await run('delete from gold.fact_sales where line > 10');
    expect(ask).toMatchObject({ kind: 'confirm', writes: [expect.stringMatching(/^changes scratch\.gold\.fact_sales, a copy of gold\.fact_sales/)] });
    const done = await run('delete from gold.fact_sales where line > 10', { confirmed: true });
    expect(table(done).getChild('Count')!.get(0)).toBe(90n);
    expect(await e.query('select count(*)::integer as n from gold.fact_sales')).toEqual([{ n: 100 }]);
    expect(await e.query('select count(*)::integer as n from scratch.gold.fact_sales')).toEqual([{ n: 10 }]);
    // the copy is made on first use only: a second change builds on the first
    await run('delete from gold.fact_sales where line > 5', { confirmed: true });
    expect(await e.query('select count(*)::integer as n from scratch.gold.fact_sales')).toEqual([{ n: 5 }]);
    const made = await run('create table top as select * from gold.fact_sales order by sales_amount desc limit 3; select count(*)::integer as n from scratch.top', { confirmed: true });
    expect(table(made).getChild('n')!.get(0)).toBe(3);
    expect(await e.query('select current_database() as db')).toEqual([{ db: 'stage_1' }]);
  });

  it('lists the tables of the results and of scratch, and profiles columns', async () => {
    const catalog = await readCatalog(e);
    expect(catalog.find((t) => t.ref === 'gold.fact_sales')).toMatchObject({
      scratch: false, rows: 100, columns: [{ name: 'line', type: 'BIGINT' }, { name: 'order_number', type: 'VARCHAR' }, { name: 'sales_amount', type: 'BIGINT' }],
    });
    expect(catalog.find((t) => t.ref === 'scratch.gold.fact_sales')).toMatchObject({ scratch: true, schema: 'gold', rows: 5 });
    expect(catalog.find((t) => t.ref === 'scratch.top')).toMatchObject({ scratch: true, schema: 'main', rows: 3 });
    const amount = await profileColumn(e, { scratch: false, schema: 'gold', table: 'fact_sales', column: 'sales_amount' });
    expect(amount).toMatchObject({ rows: 100, nulls: 0, distinct: 100, min: '10', max: '1000' });
    expect(amount.histogram!.reduce((sum, b) => sum + b.count, 0)).toBe(100);
    const orders = await profileColumn(e, { scratch: false, schema: 'gold', table: 'fact_sales', column: 'order_number' });
    expect(orders).toMatchObject({ distinct: 51, top: expect.arrayContaining([{ value: 'SO1', count: 2 }]) });
    expect((await profileColumn(e, { scratch: true, schema: 'gold', table: 'fact_sales', column: 'line' })).rows).toBe(5);
    await expect(profileColumn(e, { scratch: false, schema: 'gold', table: 'fact_sales', column: 'nope"; drop table x; --' })).rejects.toThrow(/there is no column/);
  });

  it('keeps a failed write from leaving half a change', async () => {
    const outcome = await run('update gold.fact_sales set sales_amount = sales_amount / 0 where nope', { confirmed: true });
    expect(outcome.kind).toBe('error');
    expect(await e.query(`select count(*)::integer as n from duckdb_tables() where database_name = 'stage_1'`)).toEqual([{ n: 1 }]);
  });

  it('cancels a long query between two steps, and the engine stays usable', async () => {
    const started = Date.now();
    // A scan of three billion rows: DuckDB works through it in many short tasks.
    const outcome = await run('select sum(range) from range(3000000000)', {
      isCancelled: () => Date.now() - started > 300,
    });
    expect(outcome.kind).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(3000);
    expect(table(await run('select 42 as x')).getChild('x')!.get(0)).toBe(42);
  });
});
