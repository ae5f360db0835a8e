/**
 * The package from native DuckDB and from DuckDB-WASM, byte for byte, on bigger data than
 * the model tests use (those cover the real export: tests/models/engines.test.ts):
 *
 *   npx tsx bench/compare-engines.ts [--data /work/data/scale10] [--formats csv,parquet] [--threads 4]
 *
 * Runs the command line on each engine with the clock stopped (tests/helpers/frozen-clock.ts),
 * so every file — table files, kpis.xlsx, README.txt, run.json — must be equal; exits 1 on a
 * difference, naming the file and (for text) the first differing line.
 */
import { parseArgs } from 'node:util';
import { compareFolders, removeAll, runCli } from '../tests/helpers/engine-outputs.ts';

async function main() {
  const { values } = parseArgs({
    options: {
      data: { type: 'string', default: '/work/data/scale10' },
      formats: { type: 'string', default: 'csv,parquet' },
      threads: { type: 'string', default: '4' },
    },
  });
  let differences = 0;
  for (const format of values.formats.split(',')) {
    const args = ['--format', format];
    const started = performance.now();
    const wasm = await runCli(values.data, { engine: 'wasm' }, args, 3_600_000);
    const native = await runCli(values.data, { engine: 'native', args: ['--threads', values.threads] }, args, 3_600_000);
    const { files, otherFiles, results } = await compareFolders(wasm, native);
    const seconds = ((performance.now() - started) / 1000).toFixed(0);
    if (files.join() !== otherFiles.join()) {
      differences++;
      console.log(`${format}: the engines wrote different files: ${files.join(', ')} vs ${otherFiles.join(', ')}`);
    }
    for (const r of results.filter((x) => !x.same)) console.log(`${format}: ${r.file} differs: ${r.firstDifference}`);
    differences += results.filter((r) => !r.same).length;
    console.log(`${format}: ${results.filter((r) => r.same).length} of ${results.length} files byte for byte the same ` +
      `(${results.reduce((s, r) => s + r.bytes, 0).toLocaleString('en-US')} bytes; native --threads ${values.threads}; ${seconds} s)`);
    await removeAll(wasm, native);
  }
  process.exit(differences ? 1 : 0);
}

await main();
