/**
 * Runs the command line on both engines with the clock stopped (frozen-clock.ts) and
 * compares every file of the package byte for byte: the table files, kpis.xlsx,
 * README.txt and run.json, or the one ZIP. Used by the model tests (the real export)
 * and by bench/compare-engines.ts (bigger data).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../../src/cli/node-inputs.ts';

const run = promisify(execFile);

export interface EngineRun {
  engine: 'wasm' | 'native';
  /** Extra command-line arguments (e.g. --threads 4). */
  args?: string[];
}

/** One command-line run into a fresh folder; returns the folder. */
export async function runCli(input: string, engine: EngineRun, packageArgs: string[], timeoutMs: number): Promise<string> {
  const out = await mkdtemp(path.join(os.tmpdir(), `rw-engine-${engine.engine}-`));
  await run('node', [
    '--import', 'tsx', '--import', './tests/helpers/frozen-clock.ts', 'src/cli/pipeline.ts',
    '--input', input, '--out', out, '--run-date', '2026-02-01', '--engine', engine.engine, ...(engine.args ?? []), ...packageArgs,
  ], { cwd: REPO_ROOT, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  return out;
}

export interface FileComparison {
  file: string;
  bytes: number;
  same: boolean;
  /** Where the first difference is, for a text file: line and both lines. */
  firstDifference?: string;
}

/** Every file of two folders, byte for byte (the folders must list the same files). */
export async function compareFolders(a: string, b: string): Promise<{ files: string[]; otherFiles: string[]; results: FileComparison[] }> {
  const [files, otherFiles] = await Promise.all([readdir(a), readdir(b)]).then((lists) => lists.map((l) => l.sort()));
  const results: FileComparison[] = [];
  for (const file of files.filter((f) => otherFiles.includes(f))) {
    const [x, y] = await Promise.all([readFile(path.join(a, file)), readFile(path.join(b, file))]);
    const same = x.equals(y);
    results.push({ file, bytes: x.length, same, firstDifference: same ? undefined : firstDifference(file, x, y) });
  }
  return { files, otherFiles, results };
}

function firstDifference(file: string, x: Buffer, y: Buffer): string {
  if (!/\.(csv|txt|json)$/.test(file)) return `${x.length} vs ${y.length} bytes`;
  const [xs, ys] = [x.toString('utf8').split('\n'), y.toString('utf8').split('\n')];
  const line = xs.findIndex((l, i) => l !== ys[i]);
  return `line ${line + 1}: ${JSON.stringify(xs[line]?.slice(0, 200))} vs ${JSON.stringify(ys[line]?.slice(0, 200))}`;
}

export async function removeAll(...dirs: string[]): Promise<void> {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
}
