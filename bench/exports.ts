/**
 * Export benchmark: how long the table files and the Power BI package take to make,
 * and how much memory that costs, at several scales.
 *
 *   npm run build && tsx bench/exports.ts [--scales 1,100] [--where node,browser] [--native-scales 100] [--json <file>]
 *
 * node     our export code on DuckDB-WASM in Node, one fresh child process per scale:
 *          fact_sales as CSV and as Parquet (output counted, not kept), DuckDB's own
 *          COPY to a CSV file for comparison, and the whole package as a ZIP in both
 *          formats. With --native-scales the models of those scales are built by native
 *          DuckDB (faster) and the package tables loaded into DuckDB-WASM, so the export
 *          still runs on wasm.
 * browser  the built app in Chromium (bench/exports-browser.ts): the files dropped on the
 *          Data page, then the download buttons clicked, timed to the download event.
 */
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { browserExports, type BrowserResult } from './exports-browser.ts';
import { dataDir } from './run-one.ts';
import { nodeExports, type NodeResult } from './exports-node.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PREFIX = 'EXPORT_RESULT ';
const MiB = 1024 * 1024;

function runChild(scale: string, native: boolean): Promise<NodeResult> {
  return new Promise((resolve, reject) => {
    const args = ['--expose-gc', '--import', 'tsx', path.join(HERE, 'exports.ts'), '--child', scale, ...(native ? ['--native'] : [])];
    const child = spawn(process.execPath, args, {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d;
      process.stdout.write(d.toString().split('\n').filter((l) => l && !l.startsWith(PREFIX)).map((l) => `  ${l}\n`).join(''));
    });
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith(PREFIX));
      if (line) resolve(JSON.parse(line.slice(PREFIX.length)));
      else reject(new Error(`scale ${scale}: the child exited with ${code} and no result`));
    });
  });
}

const s = (ms: number) => (ms / 1000).toFixed(2);
const mb = (bytes: number) => (bytes / 1e6).toFixed(1);

function printNode(r: NodeResult): void {
  console.log(`\n### Node, DuckDB-WASM, scale ${r.scale}: fact_sales ${r.factRows.toLocaleString('en-US')} rows; tables built by ${r.builtBy}`);
  console.log('| export | rows | seconds | CPU s | rows/s | output MB | peak RSS +MiB | wasm heap +MiB |');
  console.log('|:--|--:|--:|--:|--:|--:|--:|--:|');
  for (const m of r.measures) {
    console.log(`| ${m.name} | ${m.rows.toLocaleString('en-US')} | ${s(m.ms)} | ${s(m.cpuMs)} | ${Math.round(m.rows / (m.ms / 1000)).toLocaleString('en-US')} |` +
      ` ${mb(m.bytes)} | ${((m.peakRss - m.rssBefore) / MiB).toFixed(0)} | ${((m.wasmAfter - m.wasmBefore) / MiB).toFixed(0)} |`);
  }
  console.log(`wasm heap after the exports: ${(r.wasmHeap / MiB).toFixed(0)} MiB; load average ${r.load.map((l) => l.toFixed(1)).join(' → ')}`);
}

function printBrowser(r: BrowserResult): void {
  console.log(`\n### Chromium, through the worker, scale ${r.scale}`);
  if (r.error) {
    console.log(`run FAILED after ${s(r.runMs)} s: ${r.error}`);
    return;
  }
  console.log(`pipeline run ${s(r.runMs)} s; fact_sales ${r.factRows.toLocaleString('en-US')} rows`);
  console.log('| download | seconds (click to file) | file MB | renderer peak RSS MiB (before) |');
  console.log('|:--|--:|--:|--:|');
  for (const m of r.measures) console.log(`| ${m.name} | ${s(m.ms)} | ${mb(m.bytes)} | ${(m.peakRss / MiB).toFixed(0)} (${(m.rssBefore / MiB).toFixed(0)}) |`);
}

async function main() {
  const { values } = parseArgs({
    options: {
      scales: { type: 'string', default: '1,100' },
      where: { type: 'string', default: 'node,browser' },
      json: { type: 'string' },
      // The wasm pipeline runs out of memory at scale 100 (bench/README.md): build those natively.
      'native-scales': { type: 'string', default: '' },
      child: { type: 'string' },
      native: { type: 'boolean', default: false },
    },
  });
  if (values.child) {
    const result = await nodeExports(values.child, dataDir(values.child), values.native);
    console.log(`${PREFIX}${JSON.stringify(result)}`);
    return;
  }
  const where = values.where.split(',');
  const results: { node: NodeResult[]; browser: BrowserResult[] } = { node: [], browser: [] };
  for (const scale of values.scales.split(',')) {
    if (where.includes('node')) {
      console.log(`node, scale ${scale} ...`);
      const r = await runChild(scale, values['native-scales'].split(',').includes(scale));
      results.node.push(r);
      printNode(r);
    }
    if (where.includes('browser')) {
      console.log(`browser, scale ${scale} ...`);
      const r = await browserExports(scale);
      results.browser.push(r);
      printBrowser(r);
    }
  }
  if (values.json) await writeFile(values.json, JSON.stringify(results, null, 2));
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
