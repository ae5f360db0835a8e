/**
 * Native DuckDB and DuckDB-WASM write the same package: the command line on each engine
 * (native with 4 threads, to shake out any order or sum that depends on threads), the
 * clock stopped, every file compared byte for byte, on the real export and on generated
 * scale 10 (1.2 M lines). DuckDB-WASM loads the larger files in slices (small ones here, so that
 * every file of more than 7,000 records is cut), native DuckDB reads each file whole: the package
 * is the same either way. Bigger data: bench/compare-engines.ts.
 */
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/cli/node-inputs.ts';
import { compareFolders, removeAll, runCli } from '../helpers/engine-outputs.ts';

const REAL = path.resolve(REPO_ROOT, '../shared/datasets/retail-dw');
const TIMEOUT = 240_000;
const SCALE10_TIMEOUT = 600_000;
const NATIVE = { engine: 'native' as const, args: ['--threads', '4'] };
const WASM = { engine: 'wasm' as const, args: ['--slice-records', '7000'] };

async function expectSamePackage(packageArgs: string[], expectedFiles: number, input = REAL, timeout = TIMEOUT) {
  const [wasm, native] = await Promise.all([
    runCli(input, WASM, packageArgs, timeout),
    runCli(input, NATIVE, packageArgs, timeout),
  ]);
  try {
    const { files, otherFiles, results } = await compareFolders(wasm, native);
    expect(otherFiles).toEqual(files);
    expect(files).toHaveLength(expectedFiles);
    for (const r of results) expect(r.firstDifference ?? 'same', `${r.file} (${r.bytes} bytes)`).toBe('same');
    expect(results.every((r) => r.bytes > 0)).toBe(true);
  } finally {
    await removeAll(wasm, native);
  }
}

describe('the package from native DuckDB and from DuckDB-WASM', () => {
  it('is the same, file for file and byte for byte: the real export as CSV files, kpis.xlsx, README.txt and run.json', async () => {
    await expectSamePackage(['--format', 'csv'], 20);
  }, TIMEOUT);

  it('is the same byte for byte: the real export as the Parquet ZIP', async () => {
    await expectSamePackage(['--format', 'parquet', '--zip'], 1);
  }, TIMEOUT);

  it('is the same byte for byte at scale 10 (generated: 1.2 M lines), as CSV files, kpis.xlsx, README.txt and run.json', async () => {
    const data = await mkdtemp(path.join(os.tmpdir(), 'rw-scale10-'));
    try {
      await promisify(execFile)('node', ['--import', 'tsx', 'src/cli/generate.ts', '--scale', '10', '--out', data], { cwd: REPO_ROOT, timeout: SCALE10_TIMEOUT });
      await expectSamePackage(['--format', 'csv'], 20, data, SCALE10_TIMEOUT);
    } finally {
      await removeAll(data);
    }
  }, 2 * SCALE10_TIMEOUT);
});
