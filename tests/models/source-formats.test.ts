/**
 * The real export as people receive it — one workbook with six sheets, six workbooks, Parquet
 * files, a ZIP of the CSVs — gives exactly the results of the CSV run, through the CLI's input
 * handling (src/cli/node-inputs.ts); and each bad file is refused with a message naming it.
 * Every fixture is built here from the real CSVs, in a temporary folder.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { encrypt } from 'officecrypto-tool';
import { beforeAll, describe, expect, it } from 'vitest';
import { expandInputs, inspectPaths, registerInputFiles, REPO_ROOT } from '../../src/cli/node-inputs.ts';
import { runPipeline } from '../../src/pipeline/runner.ts';
import type { RunReport } from '../../src/pipeline/types.ts';
import { exportFiles, parquetFiles, readExport, sheetName, workbook, zipOf, type CsvTable } from '../fixtures/source-formats.ts';
import { rows, shippedModels, testEngine } from '../helpers/pipeline.ts';

const DATASET = path.resolve(REPO_ROOT, '../shared/datasets/retail-dw');
const RUN_DATE = '2026-11-26';
const SLOW = 300_000;

let tmp: string;
let tables: CsvTable[];
let expected: Record<string, unknown>[];
let expectedWarnings: string[];

/** Writes fixture files into a fresh folder and returns their paths. */
async function files(named: Record<string, Uint8Array>): Promise<string[]> {
  const dir = await mkdtemp(path.join(tmp, 'case-'));
  return Promise.all(Object.entries(named).map(async ([name, bytes]) => {
    const file = path.join(dir, name);
    await writeFile(file, bytes);
    return file;
  }));
}

async function run(paths: string[], notes: string[] = []): Promise<RunReport> {
  const engine = await testEngine();
  const inputs = registerInputFiles(engine, await inspectPaths(paths, (n) => notes.push(n)));
  return runPipeline({ engine, models: await shippedModels(), inputs, runDate: RUN_DATE });
}

/** Every result table: row count and an order-independent hash; and the KPI overview itself. */
async function fingerprint(): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (const t of ['gold.dim_customers', 'gold.dim_products', 'gold.fact_sales', 'kpi.overview', 'kpi.sales_by_month', 'segmentation.customer_segments']) {
    out.push(...(await rows(`select '${t}' as t, count(*)::integer as n, sum(hash(columns(*)))::varchar as h from ${t}`)));
  }
  return [...out, ...(await rows('select * from kpi.overview'))];
}

/** Warnings without the file names, which differ by format. */
const warnings = (report: RunReport) => report.findings.filter((f) => f.severity === 'warn').map((f) => `${f.target} ${f.check}: ${f.count}`).sort();

async function expectCsvFigures(report: RunReport) {
  expect(report.error).toBeUndefined();
  expect(report.state).toBe('success');
  expect(await fingerprint()).toEqual(expected);
  expect(warnings(report)).toEqual(expectedWarnings);
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'retail-formats-'));
  tables = await readExport(DATASET);
  const report = await run(await expandInputs([DATASET]));
  expect(report.state).toBe('success');
  expected = await fingerprint();
  expectedWarnings = warnings(report);
}, SLOW);

describe('the real export as workbooks, Parquet and ZIP gives the figures of the CSV run', () => {
  it('one workbook with six sheets (sales dates as Excel dates) and a notes sheet, which is skipped', async () => {
    const notes: string[] = [];
    const book = await workbook(tables, 'date', [{ sheet: 'About', data: [['Exported from the CRM and the ERP']] }]);
    const report = await run(await files({ 'export.xlsx': book }), notes);
    await expectCsvFigures(report);
    expect(report.inputs.map((i) => i.name).sort()).toEqual(tables.map((t) => `export.xlsx › ${sheetName(t)}`).sort());
    expect(notes).toEqual([expect.stringMatching(/^skipped: export\.xlsx › About matches no source/)]);
    // Line numbers are sheet rows: the header is row 1.
    expect(report.findings.find((f) => f.column === 'sls_order_dt')?.message).toMatch(/export\.xlsx › sales_details \(CRM sales\).*line 35321 \(sls_order_dt="0"\)/);
  }, SLOW);

  it('six workbooks, sales dates as yyyymmdd numbers', async () => {
    const books = Object.fromEntries(await Promise.all(tables.map(async (t) => [`${sheetName(t)}.xlsx`, await workbook([t], 'number')])));
    await expectCsvFigures(await run(await files(books)));
  }, SLOW);

  it('Parquet files with typed columns in another order and case (decimals, dates)', async () => {
    const parquet = await parquetFiles(DATASET, tables);
    await expectCsvFigures(await run(await files(Object.fromEntries(parquet.map((p) => [p.name, p.bytes])))));
  }, SLOW);

  it('a ZIP of the CSVs in their folders, with a readme that is skipped', async () => {
    const notes: string[] = [];
    const zip = zipOf({ ...(await exportFiles(DATASET, tables)), 'README.md': new TextEncoder().encode('# export') });
    const report = await run(await files({ 'export.zip': zip }), notes);
    await expectCsvFigures(report);
    expect(report.inputs.map((i) => i.name)).toContain('export.zip › source_crm/sales_details.csv');
    expect(notes).toEqual(['export.zip › README.md was skipped: only .csv, .tsv, .txt, .xlsx and .parquet files are read']);
  }, SLOW);
});

describe('bad files are refused naming the file, and nothing is replaced', () => {
  /** The other five sources as CSV, beside the file under test. */
  const others = (except: string) => tables.filter((t) => !t.file.endsWith(except)).map((t) => path.join(DATASET, t.file));

  async function refused(named: Record<string, Uint8Array>, except = 'sales_details.csv'): Promise<string> {
    const before = await fingerprint();
    const report = await run([...others(except), ...(await files(named))]);
    expect(report.state).toBe('failed');
    expect(await fingerprint()).toEqual(before);
    return report.error ?? '';
  }

  const sales = () => tables.filter((t) => t.file.endsWith('sales_details.csv'));

  it('an encrypted workbook', async () => {
    const book = Buffer.from(await workbook(sales()));
    const error = await refused({ 'sales.xlsx': new Uint8Array(encrypt(book, { password: 'secret' })) });
    expect(error).toContain('sales.xlsx is password-protected (encrypted) or an old binary .xls workbook');
  }, SLOW);

  it('a damaged (truncated) workbook', async () => {
    const book = await workbook(sales());
    expect(await refused({ 'sales.xlsx': book.subarray(0, Math.floor(book.length / 2)) })).toContain('sales.xlsx is not a ZIP archive, or it is damaged or truncated');
    const flipped = book.slice();
    flipped.fill(7, 2000, 2400);
    expect(await refused({ 'sales.xlsx': flipped })).toMatch(/sales\.xlsx is damaged/);
  }, SLOW);

  it('a Parquet file without a required column', async () => {
    const [table] = sales();
    const cut = { ...table, header: table.header.slice(0, -1), rows: table.rows.map((r) => r.slice(0, -1)) };
    const dir = await mkdtemp(path.join(tmp, 'cut-'));
    await writeFile(path.join(dir, table.file.replace('/', '_')), [cut.header.join(','), ...cut.rows.map((r) => r.join(','))].join('\n'));
    const [parquet] = await parquetFiles(dir, [{ ...cut, file: table.file.replace('/', '_') }]);
    expect(await refused({ 'sales.parquet': parquet.bytes })).toContain(
      'sales.parquet matches no source (its columns: SLS_QUANTITY, SLS_SALES, SLS_DUE_DT, SLS_SHIP_DT, SLS_ORDER_DT, SLS_CUST_ID, SLS_PRD_KEY, SLS_ORD_NUM); it has the CRM sales columns but not sls_price',
    );
  }, SLOW);

  it('a ZIP that inflates past the limit (a zip bomb)', async () => {
    const bomb = zipOf({ 'sales.csv': new Uint8Array(64 * 1024 * 1024).fill(48) });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    expect(await refused({ 'export.zip': bomb })).toContain('export.zip › sales.csv inflates past the safety limit (at most 4 GiB in all, and no entry more than 200 times its compressed size)');
  }, SLOW);

  it('two entries for one source', async () => {
    const csv = await exportFiles(DATASET, sales());
    const twice = zipOf({ 'a/sales.csv': csv['source_crm/sales_details.csv'], 'b/sales.csv': csv['source_crm/sales_details.csv'] });
    expect(await refused({ 'export.zip': twice })).toContain('export.zip › a/sales.csv and export.zip › b/sales.csv are both CRM sales files; keep one');
  }, SLOW);

  it('an archive with nothing recognisable, and one with no readable file', async () => {
    const notes = zipOf({ 'notes.csv': new TextEncoder().encode('a,b\n1,2\n') });
    expect(await refused({ 'export.zip': notes })).toContain('export.zip has no file that matches a source: export.zip › notes.csv matches no source (its columns: a, b)');
    const pdf = zipOf({ 'report.pdf': new Uint8Array([37, 80, 68, 70]) });
    expect(await refused({ 'export.zip': pdf })).toContain('export.zip holds no file the pipeline reads (.csv, .tsv, .txt, .xlsx or .parquet): export.zip › report.pdf was skipped');
  }, SLOW);

  it('a ZIP named .csv is refused as binary', async () => {
    const csv = await exportFiles(DATASET, sales());
    expect(await refused({ 'sales.csv': zipOf(csv) })).toContain('sales.csv is not a text CSV file (it contains binary data)');
  }, SLOW);
});
