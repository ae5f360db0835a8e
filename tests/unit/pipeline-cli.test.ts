import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile, mkdir, copyFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/cli/node-inputs.ts';

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

  it('exits 2 with the usage on bad arguments', async () => {
    const err = await cli(['--out']).catch((e) => e);
    expect(err.code).toBe(2);
    expect(err.stderr).toMatch(/usage: npm run pipeline/);
  });
});
