/**
 * The Power BI package on the real export: export_for_powerbi's checks, then every
 * Parquet and CSV file read back by native DuckDB (rows, types, sums against the
 * source tables), the ZIP's contents, README.txt and run.json, and table downloads.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { unzipSync, strFromU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandInputs, inspectPath, registerInputFiles, REPO_ROOT } from '../../src/cli/node-inputs.ts';
import { collectBlob } from '../../src/exports/blob-sink.ts';
import { checkExportTable } from '../../src/exports/checks.ts';
import { initParquetNode, writeChunksToFile } from '../../src/exports/node.ts';
import { packageZipName, planPackage, writePackage, type PackageOptions, type PackageTable } from '../../src/exports/package.ts';
import { ZipWriter } from '../../src/exports/zip-writer.ts';
import type { ExportFormat } from '../../src/pipeline/exports.ts';
import { runPipeline } from '../../src/pipeline/runner.ts';
import type { RunReport } from '../../src/pipeline/types.ts';
import type { WasmEngine } from '../../src/duckdb/wasm-engine.ts';
import { shippedModels, testEngine } from '../helpers/pipeline.ts';
import { expectSameContent, fileTypes, nativeRows, typedCsv } from './exports-readback.ts';

const DATASET = path.resolve(REPO_ROOT, '../shared/datasets/retail-dw');

let engine: WasmEngine;
let report: RunReport;
/** The package's tables: the star schema, the segments and one per KPI model. */
let tableCount: number;
const written: Record<ExportFormat, { dir: string; tables: PackageTable[] }> = {} as never;

async function writeFolder(format: ExportFormat): Promise<{ dir: string; tables: PackageTable[] }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `rw-export-${format}-`));
  const opts: PackageOptions = { format, report, models: await shippedModels() };
  const tables = await writePackage(engine, opts, async (name, chunks) => {
    await writeChunksToFile(path.join(dir, name), chunks);
  });
  return { dir, tables };
}

beforeAll(async () => {
  await initParquetNode();
  engine = await testEngine();
  const files = await expandInputs([DATASET]);
  report = await runPipeline({
    engine,
    models: await shippedModels(),
    inputs: registerInputFiles(engine, await Promise.all(files.map((f) => inspectPath(f)))),
    runDate: '2026-11-26',
    exporter: (file, sql) => checkExportTable(sql, file.table),
  });
  expect(report.state, report.error).toBe('success');
  tableCount = 4 + (await shippedModels()).filter((m) => m.path.startsWith('models/kpi/')).length;
  written.parquet = await writeFolder('parquet');
  written.csv = await writeFolder('csv');
}, 300_000);

afterAll(async () => {
  for (const { dir } of Object.values(written)) await rm(dir, { recursive: true, force: true });
});

describe('export_for_powerbi', () => {
  it('checks every table of the package and keeps nothing in memory', () => {
    const task = report.tasks.find((t) => t.id === 'export_for_powerbi')!;
    expect(task.state).toBe('success');
    expect(task.models.map((m) => m.id).slice(0, 4)).toEqual(['gold.dim_customers', 'gold.dim_products', 'gold.fact_sales', 'segmentation.customer_segments']);
    expect(task.models).toHaveLength(tableCount);
    for (const m of task.models) expect(m.log).toMatch(/^checked \w+\.csv: \d+ columns/);
    const fact = task.models.find((m) => m.id === 'gold.fact_sales')!;
    expect(fact.log).toContain('customer_key → dim_customers ok');
    expect(fact.log).toContain('product_key → dim_products ok');
    expect(fact.rows).toBe(60_398);
    expect(task.models.find((m) => m.id === 'gold.dim_customers')!.log).toContain('key customer_key unique');
    expect(report.exports).toEqual([]);
  });
});

describe('Parquet files', () => {
  it('read back in DuckDB with every column typed as exported, and the same rows and sums', async () => {
    const { dir, tables } = written.parquet;
    expect(tables).toHaveLength(tableCount);
    for (const table of tables) {
      const from = `read_parquet('${path.join(dir, table.file)}')`;
      expect(await fileTypes(from), table.file).toEqual(table.columns.map((c) => ({ name: c.name, type: c.exportType })));
      await expectSameContent(engine, table, from);
    }
  });

  it('keep dates as Parquet DATE, keys as INT64 and text as UTF-8 (read with hyparquet)', async () => {
    const file = await asyncBufferFromFile(path.join(written.parquet.dir, 'fact_sales.parquet'));
    const meta = await parquetMetadataAsync(file);
    const byName = new Map(meta.schema.map((s) => [s.name, s]));
    expect(byName.get('order_date')).toMatchObject({ type: 'INT32', converted_type: 'DATE' });
    expect(byName.get('customer_key')).toMatchObject({ type: 'INT64' });
    expect(byName.get('sales_amount')).toMatchObject({ type: 'DOUBLE' });
    expect(byName.get('order_number')).toMatchObject({ type: 'BYTE_ARRAY', converted_type: 'UTF8' });
    expect(meta.row_groups[0].columns[0].meta_data?.codec).toBe('SNAPPY');
    const [first] = await parquetReadObjects({ file, rowStart: 0, rowEnd: 1 });
    expect(first.order_number).toBe('SO43697');
    expect(first.order_date).toEqual(new Date('2010-12-29T00:00:00Z'));
    expect(Number(meta.num_rows)).toBe(60_398);
  });
});

describe('CSV files', () => {
  it('read back with the exported types stated, holding the same rows and sums', async () => {
    const { dir, tables } = written.csv;
    for (const table of tables) await expectSameContent(engine, table, typedCsv(path.join(dir, table.file), table.columns));
  });

  it('are typed as exported by a reader that guesses the types, but for two text columns', async () => {
    // Text of digits (rfm_code '555') and Yes/No (maintenance) look like other types to a
    // guessing reader; README.txt says so, and the Parquet files keep them text.
    const lookAlike: Record<string, string> = { rfm_code: 'BIGINT', maintenance: 'BOOLEAN' };
    const { dir, tables } = written.csv;
    for (const table of tables) {
      const guessed = await fileTypes(`read_csv('${path.join(dir, table.file)}')`);
      table.columns.forEach((c, i) => {
        expect(guessed[i].name).toBe(c.name);
        // A guess cannot tell 32-bit from 64-bit whole numbers (both Power BI's Whole number).
        const exported = c.exportType === 'INTEGER' ? 'BIGINT' : c.exportType;
        expect(guessed[i].type, `${table.file}.${c.name}`).toBe(lookAlike[c.name] ?? exported);
      });
    }
  });

  it('write dates as yyyy-mm-dd and whole decimals with .0', async () => {
    const [row] = await nativeRows(`select * from read_csv('${path.join(written.csv.dir, 'fact_sales.csv')}', all_varchar = true) limit 1`);
    expect(row).toMatchObject({ order_number: 'SO43697', order_date: '2010-12-29', sales_amount: '3578.0', quantity: '1' });
  });
});

describe('the package', () => {
  it('has the same file names in both formats, plus README.txt, run.json and kpis.xlsx', async () => {
    const csv = (await readdir(written.csv.dir)).sort();
    const parquet = (await readdir(written.parquet.dir)).sort();
    expect(csv.map((f) => f.replace(/\.csv$/, ''))).toEqual(parquet.map((f) => f.replace(/\.parquet$/, '')));
    expect(csv).toEqual(expect.arrayContaining(['README.txt', 'run.json', 'kpis.xlsx', 'fact_sales.csv', 'kpi_overview.csv']));
  });

  it('is one streamed ZIP with every file, Parquet stored and text deflated', async () => {
    const chunks: Uint8Array[] = [];
    const zip = new ZipWriter((c) => {
      chunks.push(c);
    }, new Date(report.startedAt));
    const opts: PackageOptions = { format: 'parquet', report, models: await shippedModels() };
    await writePackage(engine, opts, (name, data, compress) => zip.add(name, data, compress).then(() => undefined));
    await zip.finish();
    expect(chunks.length).toBeGreaterThan(20);
    const blob = await collectBlob((async function* () {
      yield* chunks;
    })(), 'application/zip');
    const bytes = new Uint8Array(await blob.arrayBuffer());
    const files = unzipSync(bytes);
    const names = Object.keys(files);
    expect(names.slice(0, 3)).toEqual(['README.txt', 'run.json', 'dim_customers.parquet']);
    expect(names).toHaveLength(tableCount + 3);
    expect(names.at(-1)).toBe('kpis.xlsx');
    expect(packageZipName('parquet')).toBe('powerbi-parquet.zip');

    const manifest = JSON.parse(strFromU8(files['run.json']));
    expect(manifest).toMatchObject({ manifestVersion: 1, state: 'success', runId: report.runId, format: 'parquet' });
    expect(manifest.inputs).toHaveLength(6);
    for (const input of manifest.inputs) expect(input.sha256).toMatch(/^[0-9a-f]{64}$/);
    const fact = manifest.files.find((f: { name: string }) => f.name === 'fact_sales.parquet');
    expect(fact).toMatchObject({ table: 'gold.fact_sales', rows: 60_398 });
    expect(fact.columns).toContainEqual({ name: 'order_date', type: 'DATE' });
    expect(manifest.tables['gold.fact_sales']).toBe(60_398);
    expect(manifest.startedAt).toBe(new Date(report.startedAt).toISOString());
  });

  it('README.txt states the keys, relationships, grains and every measure of models/measures.sql', async () => {
    const { readFile } = await import('node:fs/promises');
    const text = await readFile(path.join(written.parquet.dir, 'README.txt'), 'utf8');
    expect(text).toContain('fact_sales[customer_key] -> dim_customers[customer_key]   many-to-one');
    expect(text).toContain('fact_sales[product_key] -> dim_products[product_key]   many-to-one');
    expect(text).toContain('customer_segments[customer_key] -> dim_customers[customer_key]');
    expect(text).toContain('dim_customers[customer_key]');
    expect(text).toContain('fact_sales (fact_sales.parquet) - one row per sales order line');
    expect(text).toContain('DAX: Avg Order Value = DIVIDE(SUM(fact_sales[sales_amount]), DISTINCTCOUNT(fact_sales[order_number]))');
    const measures = await readFile(path.join(REPO_ROOT, 'models/measures.sql'), 'utf8');
    for (const [, name] of measures.matchAll(/macro (\w+)\(/g)) expect(text).toContain(`SQL: ${name}(`);
    expect(text).toContain('60,398 rows, fact table');
  });

  it('is planned from the tables in the current results', async () => {
    const tables = await planPackage(engine, 'csv', await shippedModels());
    expect(tables.map((t) => t.file)).toEqual(written.csv.tables.map((t) => t.file));
    expect(tables.find((t) => t.table === 'kpi.overview')!.columns.find((c) => c.name === 'total_units')).toMatchObject({
      type: 'HUGEINT', exportType: 'BIGINT', powerBiType: 'Whole number',
    });
  });
});
