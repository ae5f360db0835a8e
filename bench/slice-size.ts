/**
 * The heap and CPU of loading one large CSV file into bronze, in slices of each size asked for
 * (0: one piece), each in a fresh process with a fresh DuckDB-WASM (its heap never shrinks):
 *
 *   tsx bench/slice-size.ts [--file /work/data/scale100/source_crm/sales_details.csv] [--sizes 0,1000000,500000,250000]
 *
 * Prints per size: slices, wall and CPU seconds of inspection (counting records, finding the cuts)
 * and of the load (slice files included), and the wasm heap after the load. How SLICE_RECORDS was chosen.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { inspectPath } from '../src/cli/node-inputs.ts';
import { openNodeEngine } from '../src/duckdb/wasm-node.ts';
import { loadBronze } from '../src/pipeline/ingest.ts';
import { wasmHeapBytes } from './run-one.ts';

const { values } = parseArgs({
  options: {
    file: { type: 'string', default: '/work/data/scale100/source_crm/sales_details.csv' },
    sizes: { type: 'string', default: '0,2000000,1000000,500000,250000' },
    one: { type: 'string' },
  },
});

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

async function measure(file: string, sliceRecords: number) {
  const t0 = performance.now();
  const c0 = cpu();
  const input = await inspectPath(file, path.basename(file), sliceRecords);
  const { source } = input.inspection;
  if (!source) throw new Error(`${file} matches no source`);
  const engine = await openNodeEngine({ unlocked: true });
  await engine.exec("attach ':memory:' as stage_1 (compress); use stage_1; create schema bronze;");
  const t1 = performance.now();
  const c1 = cpu();
  const rows = await loadBronze(engine, source, input);
  const result = {
    sliceRecords, slices: input.slices?.ranges.length ?? 1, rows,
    inspectWall: ((t1 - t0) / 1000).toFixed(2), inspectCpu: (c1 - c0).toFixed(2),
    loadWall: ((performance.now() - t1) / 1000).toFixed(2), loadCpu: (cpu() - c1).toFixed(2),
    heapMiB: Math.round((wasmHeapBytes(engine) ?? 0) / 2 ** 20),
  };
  console.log(JSON.stringify(result));
}

if (values.one !== undefined) await measure(values.file, Number(values.one));
else {
  console.log(`load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  for (const size of values.sizes.split(',')) {
    execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--file', values.file, '--one', size], { stdio: 'inherit' });
  }
}
