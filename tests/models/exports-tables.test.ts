/**
 * Table downloads and export_for_powerbi's checks on small generated data: order and
 * filters as shown, streaming in batches, cancelling, and each check's refusal.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { collectBlob } from '../../src/exports/blob-sink.ts';
import { checkExportTable, ExportCheckError } from '../../src/exports/checks.ts';
import { initParquetNode } from '../../src/exports/node.ts';
import { countRows, describeTable, exportQuery, tableBytes, type TableQuery } from '../../src/exports/table-export.ts';
import { CancelledError } from '../../src/duckdb/sql-engine.ts';
import type { ExportFormat } from '../../src/pipeline/exports.ts';
import { abandonStage, openStage } from '../../src/pipeline/stage.ts';
import type { WasmEngine } from '../../src/duckdb/wasm-engine.ts';
import { MINIMAL, runOnTexts } from '../helpers/pipeline.ts';

const LINES = 5_000;

/** Sales lines over one customer and one product, dates spread over 2011-2013, one with a comma-and-quote order number. */
function salesText(): string {
  const header = MINIMAL.crm_sales_details.split('\n')[0];
  const lines = [header];
  for (let i = 0; i < LINES; i++) {
    const day = new Date(Date.UTC(2011, 0, 1) + (i % 1000) * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
    const order = i === 7 ? '"SO, ""7"""' : `SO${i}`;
    lines.push(`${order},BK-R93R-62,11000,${day},${day},${day},${(i % 50) + 1},1,${(i % 50) + 1}`);
  }
  return `${lines.join('\n')}\n`;
}

let engine: WasmEngine;

async function exportText(query: TableQuery, format: ExportFormat = 'csv', onRows = async (_n: number) => {}): Promise<string> {
  const shape = await describeTable(engine, query.table);
  const blob = await collectBlob(tableBytes(engine, exportQuery(shape, query), format, onRows), 'text/csv');
  return blob.text();
}

beforeAll(async () => {
  await initParquetNode();
  const run = await runOnTexts({ crm_sales_details: salesText() });
  expect(run.report.state, run.report.error).toBe('success');
  engine = run.engine;
}, 120_000);

describe('a table download', () => {
  it('writes every row once, the header first, quoting as RFC 4180 says', async () => {
    const lines = (await exportText({ table: 'gold.fact_sales' })).trimEnd().split('\n');
    expect(lines[0]).toBe('order_number,product_key,customer_key,order_date,shipping_date,due_date,sales_amount,quantity,price');
    expect(lines).toHaveLength(LINES + 1);
    expect(lines).toContain('"SO, ""7""",1,1,2011-01-08,2011-01-08,2011-01-08,8.0,1,8.0');
  });

  it('follows the order shown on screen', async () => {
    const lines = (await exportText({ table: 'gold.fact_sales', orderBy: 'sales_amount', descending: true })).trimEnd().split('\n');
    const amounts = lines.slice(1).map((l) => Number(l.split(',').at(-3)));
    expect(amounts[0]).toBe(50);
    expect(amounts.at(-1)).toBe(1);
    expect([...amounts].sort((a, b) => b - a)).toEqual(amounts);
  });

  it('keeps only the rows of the dashboard filters that apply to the table, bound as parameters', async () => {
    const filters = { from: '2012-01-01', to: '2012-01-31', values: { country: ["Australia' or 1=1 --"] } };
    const shape = await describeTable(engine, 'gold.fact_sales');
    const query = exportQuery(shape, { table: 'gold.fact_sales', filters });
    // fact_sales has no country column: only the date range applies.
    expect(query.params).toEqual(['2012-01-01', '2012-01-31']);
    expect(await countRows(engine, query)).toBe(155);
    const text = await exportText({ table: 'gold.fact_sales', filters });
    expect(text.trimEnd().split('\n')).toHaveLength(156);

    const customers = exportQuery(await describeTable(engine, 'gold.dim_customers'), { table: 'gold.dim_customers', filters });
    expect(customers.sql).not.toContain('1=1');
    expect(await countRows(engine, customers)).toBe(0);
  });

  it('refuses an unknown table or sort column', async () => {
    await expect(describeTable(engine, 'gold.nope')).rejects.toThrow('there is no table gold.nope in the current results');
    const shape = await describeTable(engine, 'gold.fact_sales');
    expect(() => exportQuery(shape, { table: 'gold.fact_sales', orderBy: 'x; drop table y' })).toThrow('has no column');
  });

  it('streams in batches and reports rows as it goes, in both formats', async () => {
    for (const format of ['csv', 'parquet'] as const) {
      const seen: number[] = [];
      await exportText({ table: 'gold.fact_sales' }, format, async (n) => {
        seen.push(n);
      });
      expect(seen.reduce((a, b) => a + b, 0)).toBe(LINES);
      if (format === 'csv') expect(seen.length).toBeGreaterThan(1);
    }
  });

  it('stops when cancelled and leaves the engine free for the next query', async () => {
    for (const format of ['csv', 'parquet'] as const) {
      let batches = 0;
      const cancelling = exportText({ table: 'gold.fact_sales' }, format, async () => {
        if (++batches === 1) throw new CancelledError();
      });
      await expect(cancelling).rejects.toThrow('cancelled by the user');
      expect(batches).toBe(1);
      const [{ n }] = await engine.query<{ n: number }>('select count(*)::integer as n from gold.fact_sales');
      expect(n).toBe(LINES);
      expect((await exportText({ table: 'gold.dim_products' }, format)).length).toBeGreaterThan(0);
    }
    expect((await exportText({ table: 'gold.dim_products' })).split('\n')).toHaveLength(3);
  });
});

describe('export_for_powerbi checks', () => {
  /** Runs `sql` in a scratch catalog (so the results stay as they are), then checks `table`. */
  async function checkIn(sql: string, table: string): Promise<string> {
    const stage = await openStage(engine, '2026-11-26');
    try {
      await engine.exec(sql);
      return await checkExportTable(engine, table);
    } finally {
      await abandonStage(engine, stage);
    }
  }

  it('pass the real star schema and say what they checked', async () => {
    expect(await checkExportTable(engine, 'gold.dim_products')).toBe('11 columns, key product_key unique');
    expect(await checkExportTable(engine, 'gold.fact_sales')).toBe('9 columns, customer_key → dim_customers ok, product_key → dim_products ok');
  });

  it('refuse a key that repeats or is empty', async () => {
    const sql = 'create table gold.dim_products as select * from (values (1), (1), (null)) as t(product_key);';
    await expect(checkIn(sql, 'gold.dim_products')).rejects.toThrow(
      new ExportCheckError('gold.dim_products.product_key must be a unique key: 1 empty value and 1 repeated value'),
    );
  });

  it('refuse a relationship value the other side lacks', async () => {
    const sql = `create table gold.dim_customers as select 1::bigint as customer_key;
      create table gold.dim_products as select 1::bigint as product_key;
      create table gold.fact_sales as select * from (values (1, 1), (2, 1), (null, 1)) as t(customer_key, product_key);`;
    await expect(checkIn(sql, 'gold.fact_sales')).rejects.toThrow('1 row of gold.fact_sales has a customer_key that gold.dim_customers does not have');
  });

  it('refuse sums beyond the 64 bits of a whole number', async () => {
    await expect(checkIn('create table kpi.big as select 170141183460469231731687303715884105727::hugeint as units;', 'kpi.big'))
      .rejects.toThrow('kpi.big.units has 1 value beyond the 64-bit range');
    expect(await checkIn('create table kpi.fits as select 12::hugeint as units;', 'kpi.fits')).toBe('1 column');
  });
});
