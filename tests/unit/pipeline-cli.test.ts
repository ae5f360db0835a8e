import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile, mkdir, copyFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/cli/node-inputs.ts';
import { editRow, parseCsv, utf16le, utf8, writeCsv } from '../fixtures/dialects.ts';

const run = promisify(execFile);
const REAL = path.resolve(REPO_ROOT, '../shared/datasets/retail-dw');
const cli = (args: string[]) =>
  run('node', ['--import', 'tsx', 'src/cli/pipeline.ts', ...args], { cwd: REPO_ROOT, timeout: 120_000 });

describe('npm run pipeline', () => {
  it('runs the real export end to end and writes the exports and run.json', async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), 'rw-cli-'));
    const { stdout } = await cli(['--input', REAL, '--out', out, '--run-date', '2026-11-26']);
    expect(stdout).toMatch(/^ingest_bronze\s+running$/m);
    expect(stdout).toMatch(/^export_for_powerbi\s+success [\d.]+ s/m);
    const files = (await readdir(out)).sort();
    for (const f of ['dim_customers.csv', 'dim_products.csv', 'fact_sales.csv', 'customer_segments.csv', 'kpi_overview.csv', 'run.json']) {
      expect(files).toContain(f);
    }
    const report = JSON.parse(await readFile(path.join(out, 'run.json'), 'utf8'));
    expect(report.state).toBe('success');
    expect(report.tables['gold.fact_sales']).toBe(60398);
    expect(report.inputs).toHaveLength(6);
    expect(report.inputs[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    const fact = (await readFile(path.join(out, 'fact_sales.csv'), 'utf8')).trimEnd().split('\n');
    expect(fact[0]).toBe('order_number,product_key,customer_key,order_date,shipping_date,due_date,sales_amount,quantity,price');
    expect(fact).toHaveLength(60399);
  });

  it('exits non-zero with a one-line reason naming the missing source', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rw-cli-in-'));
    await mkdir(path.join(dir, 'crm'));
    await copyFile(path.join(REAL, 'source_crm/cust_info.csv'), path.join(dir, 'crm/cust_info.csv'));
    await writeFile(path.join(dir, 'other.csv'), 'a,b\n1,2\n');
    const err = await cli(['--input', dir, '--out', path.join(dir, 'out')]).catch((e) => e);
    expect(err.code).toBe(1);
    const lines = err.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^pipeline: other\.csv matches no source \(its columns: a, b\);.*missing the CRM products file/);
  });

  it('reads input files by any legal name: spaces, parentheses, brackets, *, ?, quotes, braces, backslash, non-ASCII', async () => {
    // The same six files twice, once under plain names and once under names DuckDB could take for
    // glob patterns, in a folder with such a name too; one is UTF-16 (read through a UTF-8 copy)
    // and one has a quoted line break (read with a map of record lines).
    const real = (file: string) => readFile(path.join(REAL, file), 'utf8');
    const customers = writeCsv(editRow(parseCsv(await real('source_crm/cust_info.csv')), 'cst_id', '11000', { cst_lastname: 'Yang\nJr.' }));
    const files: [plain: string, odd: string, bytes: Uint8Array][] = [
      ['cust_info.csv', 'cust_info (1).csv', utf8(customers)],
      ['prd_info.csv', 'prd_info [2] *.csv', utf8(await real('source_crm/prd_info.csv'))],
      ['sales_details.csv', 'sales_details ?.csv', utf8(await real('source_crm/sales_details.csv'))],
      ['CUST_AZ12.csv', `CUST_AZ12 "quoted" 'single'.csv`, utf16le(await real('source_erp/CUST_AZ12.csv'))],
      ['LOC_A101.csv', 'LOC_A101 é€ü 日本.csv', utf8(await real('source_erp/LOC_A101.csv'))],
      ['PX_CAT_G1V2.csv', 'PX_CAT_G1V2 {a,b} $HOME #1 \\.csv', utf8(await real('source_erp/PX_CAT_G1V2.csv'))],
    ];
    const root = await mkdtemp(path.join(os.tmpdir(), 'rw-cli-names-'));
    const [plain, odd] = [path.join(root, 'plain'), path.join(root, 'exports (1) [x] *')];
    await Promise.all([mkdir(plain), mkdir(odd)]);
    for (const [p, o, bytes] of files) await Promise.all([writeFile(path.join(plain, p), bytes), writeFile(path.join(odd, o), bytes)]);
    await cli(['--input', plain, '--out', path.join(root, 'out-plain'), '--run-date', '2026-11-26']);
    await cli(['--input', odd, '--out', path.join(root, 'out-odd'), '--run-date', '2026-11-26']);

    const report = JSON.parse(await readFile(path.join(root, 'out-odd', 'run.json'), 'utf8'));
    expect(report.state).toBe('success');
    expect(report.inputs.map((i: { name: string }) => i.name).sort()).toEqual(files.map(([, o]) => o).sort());
    const csvs = (await readdir(path.join(root, 'out-plain'))).filter((f) => f.endsWith('.csv'));
    expect(csvs).toHaveLength(17);
    for (const f of csvs) {
      const [a, b] = await Promise.all([readFile(path.join(root, 'out-plain', f)), readFile(path.join(root, 'out-odd', f))]);
      expect(b.equals(a), `${f} is the same whatever the input files are called`).toBe(true);
    }
    expect((await readFile(path.join(root, 'out-odd', 'dim_customers.csv'), 'utf8'))).toContain('"Yang\nJr."');

    // A bad file is named as it is called.
    await writeFile(path.join(odd, 'LOC_A101 é€ü 日本.csv'), 'CID,CNTRY\r\nAW-00011000,Australia\r\nAW-00011001,Germany,extra\r\n');
    const err = await cli(['--input', odd, '--out', path.join(root, 'out-bad')]).catch((e) => e);
    expect(err.code).toBe(1);
    expect(err.stderr.trim()).toMatch(/^pipeline: LOC_A101 é€ü 日本\.csv \(ERP locations\) line 3 has 3 fields but the header has 2/);
  }, 300_000);

  it('exits 2 with the usage on bad arguments', async () => {
    const err = await cli(['--out']).catch((e) => e);
    expect(err.code).toBe(2);
    expect(err.stderr).toMatch(/usage: npm run pipeline/);
  });
});
