/**
 * Memory of reading workbooks, Parquet and ZIP sources: each case converts its files with the
 * code the app and the CLI use (src/formats via inspectPaths) in a fresh child process, sampling
 * the JavaScript heap and ArrayBuffers every 10 ms, beside the same data as plain CSV. The peak
 * says whether a file (or its CSV) was ever held whole. Fixtures are made once under
 * bench/.data/formats/ from generated data (`--data`, default /work/data/scaleN, else generated).
 *
 *   npx tsx bench/source-formats.ts --workbook-scale 100 --parquet-scale 10
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { safeThreadCount } from '../src/duckdb/native-threads.ts';
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { zipSync } from 'fflate';
import { writeWorkbook } from './xlsx-fixture.ts';

const SOURCES = ['source_crm/cust_info.csv', 'source_crm/prd_info.csv', 'source_crm/sales_details.csv', 'source_erp/CUST_AZ12.csv', 'source_erp/LOC_A101.csv', 'source_erp/PX_CAT_G1V2.csv'];
const here = path.dirname(new URL(import.meta.url).pathname);
const work = path.join(here, '.data/formats');
const MB = 1024 * 1024;

interface Measured { case: string; inputMB: number; convertedMB: number; seconds: number; cpuSeconds: number; peakHeapMB: number; peakBuffersMB: number; peakRssMB: number; parts: number }

/** Child mode: convert the files, print one JSON line. */
async function measure(label: string, files: string[]): Promise<void> {
  const { inspectPaths } = await import('../src/cli/node-inputs.ts');
  let peakHeap = 0;
  let peakBuffers = 0;
  let peakRss = 0;
  const sample = () => {
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed);
    peakBuffers = Math.max(peakBuffers, m.arrayBuffers);
    peakRss = Math.max(peakRss, m.rss);
  };
  const timer = setInterval(sample, 10);
  const cpu = process.cpuUsage();
  const started = performance.now();
  const inputs = await inspectPaths(files);
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  clearInterval(timer);
  sample();
  const problems = inputs.flatMap((i) => (i.inspection.problem ? [i.inspection.problem] : []));
  if (problems.length) throw new Error(problems.join('; '));
  const inputBytes = files.reduce((s, f) => s + statSync(f).size, 0);
  const converted = inputs.reduce((s, i) => s + statSync(i.path).size, 0);
  const out: Measured = {
    case: label, inputMB: inputBytes / MB, convertedMB: converted / MB, seconds, cpuSeconds: (used.user + used.system) / 1e6,
    peakHeapMB: peakHeap / MB, peakBuffersMB: peakBuffers / MB, peakRssMB: peakRss / MB, parts: inputs.length,
  };
  console.log(JSON.stringify(out));
}

/** Generated data of this scale: the shared folder if there, else generated here once. */
function dataDir(scale: number, given?: string): string {
  const shared = given ?? `/work/data/scale${scale}`;
  if (existsSync(path.join(shared, SOURCES[2]))) return shared;
  const own = path.join(work, `scale${scale}`);
  if (!existsSync(path.join(own, SOURCES[2]))) {
    execFileSync('npx', ['tsx', 'src/cli/generate.ts', '--scale', String(scale), '--out', own], { stdio: 'inherit' });
  }
  return own;
}

async function parquetSet(dir: string, scale: number): Promise<string[]> {
  const out = path.join(work, `parquet${scale}`);
  const files = SOURCES.map((s) => path.join(out, `${path.basename(s, '.csv')}.parquet`));
  if (files.every(existsSync)) return files;
  await mkdir(out, { recursive: true });
  const db = await DuckDBInstance.create(':memory:', { threads: String(safeThreadCount(undefined)) });
  const conn = await db.connect();
  for (const [i, s] of SOURCES.entries()) {
    await conn.run(`copy (select * from read_csv('${path.join(dir, s)}', header = true)) to '${files[i]}' (format parquet, compression zstd)`);
  }
  conn.closeSync();
  return files;
}

async function workbookFile(dir: string, scale: number): Promise<string> {
  const out = path.join(work, `scale${scale}.xlsx`);
  if (!existsSync(out)) await writeWorkbook(dir, SOURCES, out);
  return out;
}

async function zipFile(dir: string, scale: number): Promise<string> {
  const out = path.join(work, `scale${scale}-csv.zip`);
  if (!existsSync(out)) {
    const entries = Object.fromEntries(await Promise.all(SOURCES.map(async (s) => [s, new Uint8Array(await readFile(path.join(dir, s)))])));
    await writeFile(out, zipSync(entries, { level: 6 }));
  }
  return out;
}

function child(label: string, files: string[]): Measured {
  const line = execFileSync(process.execPath, ['--import', 'tsx', path.join(here, 'source-formats.ts'), '--child', label, ...files], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(line.trim().split('\n').at(-1)!) as Measured;
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { child: { type: 'string' }, 'workbook-scale': { type: 'string', default: '100' }, 'parquet-scale': { type: 'string', default: '10' }, data: { type: 'string' } },
  });
  if (values.child) return measure(values.child, positionals);
  await mkdir(work, { recursive: true });
  const wbScale = Number(values['workbook-scale']);
  const pqScale = Number(values['parquet-scale']);
  const wbDir = dataDir(wbScale, wbScale === pqScale ? values.data : undefined);
  const pqDir = dataDir(pqScale, values.data);
  const csvs = (dir: string) => SOURCES.map((s) => path.join(dir, s));
  const cases: [string, string[]][] = [
    [`CSV, scale ${pqScale} (baseline)`, csvs(pqDir)],
    [`Parquet, scale ${pqScale}`, await parquetSet(pqDir, pqScale)],
    [`ZIP of the CSVs, scale ${pqScale}`, [await zipFile(pqDir, pqScale)]],
    [`CSV, scale ${wbScale} (baseline)`, csvs(wbDir)],
    [`one workbook, six sheets, scale ${wbScale}`, [await workbookFile(wbDir, wbScale)]],
  ];
  console.log(`load average ${(await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ')}`);
  console.log('| case | input MB | CSV made MB | wall s | CPU s | peak JS heap MB | peak ArrayBuffers MB | peak RSS MB |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const [label, files] of cases) {
    const m = child(label, files);
    const f = (n: number) => n.toFixed(1);
    console.log(`| ${m.case} | ${f(m.inputMB)} | ${f(m.convertedMB)} | ${f(m.seconds)} | ${f(m.cpuSeconds)} | ${f(m.peakHeapMB)} | ${f(m.peakBuffersMB)} | ${f(m.peakRssMB)} |`);
  }
}

await main();
