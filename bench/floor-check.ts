/**
 * Checks that the floor (bench/floor.sql) really writes the pipeline's tables: runs the
 * command line and the floor on the same data and compares the 17 table files. Files that
 * are not byte-equal are compared through DuckDB: both read with the types sniffed from the
 * pipeline's file, row by row in file order (`with ordinality`), values compared exactly —
 * so a double written as 5.41e-05 by DuckDB and 0.0000541 by the pipeline's writer is equal.
 * The command line writes raw CSV (--csv-raw): the floor compares data, not the spreadsheet guard.
 *
 *   npx tsx bench/floor-check.ts [--data real,10,100]
 *
 * Exits 1 when any table differs in its data.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { safeThreadCount } from '../src/duckdb/native-threads.ts';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { quoteLiteral } from '../src/sql/quote.ts';
import { dataFolder } from './compare-outputs.ts';
import { runFloor } from './floor.ts';
import { BENCH_RUN_DATE } from './run-one.ts';

/** RFC 4180 as both writers write it; "" is the empty string, not NULL. */
const OPTIONS = `quote = '"', escape = '"', allow_quoted_nulls = false`;
const HEAD = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function runCli(data: string, out: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/pipeline.ts', '--input', data, '--out', out, '--run-date', BENCH_RUN_DATE, '--csv-raw'], {
      cwd: HEAD, stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`the command line exited with ${code}`))));
  });
}

/** Rows of `b` that differ from `a` at the same position (and the other way), read with a's types. */
async function compareThroughDuckDB(a: string, b: string): Promise<{ rows: number; different: number }> {
  const db = await DuckDBInstance.create(':memory:', { threads: String(safeThreadCount(undefined)) });
  const conn = await db.connect();
  try {
    const described = await conn.runAndReadAll(`describe select * from read_csv(${quoteLiteral(a)}, ${OPTIONS})`);
    const columns = described.getRowObjectsJS().map((r) => `${quoteLiteral(String(r.column_name))}: ${quoteLiteral(String(r.column_type))}`);
    const read = (f: string) => `select * from read_csv(${quoteLiteral(f)}, header = true, auto_detect = false, ${OPTIONS}, columns = {${columns.join(', ')}}) with ordinality`;
    const [row] = (await conn.runAndReadAll(`
      select (select count(*) from (${read(a)})) as n,
             (select count(*) from ((${read(a)}) except all (${read(b)}))) + (select count(*) from ((${read(b)}) except all (${read(a)}))) as d`)).getRowObjectsJS();
    return { rows: Number(row.n), different: Number(row.d) };
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

async function main() {
  const { values } = parseArgs({ options: { data: { type: 'string', default: 'real,10' } } });
  let failed = 0;
  for (const name of values.data.split(',').map((s) => s.trim()).filter(Boolean)) {
    const data = dataFolder(name);
    const work = await mkdtemp(path.join(tmpdir(), 'floor-check-'));
    try {
      const cliDir = path.join(work, 'cli');
      const floorDir = path.join(work, 'floor');
      await runCli(data, cliDir);
      await mkdir(floorDir);
      await runFloor(data, floorDir);
      const files = (await readdir(floorDir)).filter((f) => f.endsWith('.csv')).sort();
      const expected = (await readdir(cliDir)).filter((f) => f.endsWith('.csv')).sort();
      const missing = expected.filter((f) => !files.includes(f));
      console.log(`${name}: ${files.length} tables written by the floor, ${expected.length} by the command line${missing.length ? `; MISSING ${missing.join(', ')}` : ''}`);
      failed += missing.length;
      for (const f of files) {
        const [x, y] = await Promise.all([readFile(path.join(cliDir, f)), readFile(path.join(floorDir, f))]);
        if (x.equals(y)) {
          console.log(`  ${f.padEnd(34)} byte-equal`);
          continue;
        }
        const { rows, different } = await compareThroughDuckDB(path.join(cliDir, f), path.join(floorDir, f));
        if (different) failed++;
        console.log(`  ${f.padEnd(34)} ${different ? `DIFFERENT: ${different} of ${rows} rows` : `equal through DuckDB (${rows} rows; the bytes differ in number formatting)`}`);
      }
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }
  if (failed) {
    console.log(`\n${failed} table(s) differ`);
    process.exit(1);
  }
}

await main();
