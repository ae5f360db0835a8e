/**
 * The command line on each engine, beside the floor, per scale:
 *
 *   npx tsx bench/engines.ts [--scales 10,100,1000] [--runs 1] [--data-root /work/data] [--memory 75%]
 *        [--only native,native-1t,wasm,floor] [--floor bench/floor.ts]
 *
 * For each scale (data in <data-root>/scaleN, made with `npm run generate -- --scale N --out …`):
 * `npm run pipeline` with --engine native (all threads), --engine native --threads 1, and
 * --engine wasm where the inputs fit DuckDB-WASM (the browser's size guard, src/pipeline/size-guard.ts),
 * each a fresh process writing the CSV package to a temporary folder that is removed afterwards;
 * and the floor (bench/floor.ts, native DuckDB on one thread doing the least work that writes the
 * same tables) where that script is present. Prints wall and CPU seconds of the whole process
 * (user + system, all threads, from /usr/bin/time), the run's own seconds (run.json), peak RSS
 * and the 1-minute load average. Medians over --runs.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { expandInputs } from '../src/cli/node-inputs.ts';
import { assessInputSize } from '../src/pipeline/size-guard.ts';

const run = promisify(execFile);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUN_DATE = '2026-02-01';

interface Measurement {
  kind: string;
  ok: boolean;
  wallS: number;
  cpuS: number;
  /** run.json durationMs (the DAG, start-up and the package's extras excluded). */
  runS?: number;
  peakRssMiB: number;
  note?: string;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const load = () => os.loadavg()[0].toFixed(1);

/** Runs a command under /usr/bin/time; wall, CPU and peak RSS of it and its children. */
async function timed(args: string[], timeoutMs: number): Promise<{ ok: boolean; wallS: number; cpuS: number; peakRssMiB: number; output: string }> {
  const started = performance.now();
  const result = await run('/usr/bin/time', ['-f', 'TIME %e %U %S %M', ...args], { cwd: ROOT, timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024 })
    .then((r) => ({ ok: true, stdout: r.stdout, stderr: r.stderr }))
    .catch((e: { stdout?: string; stderr?: string }) => ({ ok: false, stdout: e.stdout ?? '', stderr: e.stderr ?? '' }));
  const line = /TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(result.stderr);
  return {
    ok: result.ok,
    wallS: line ? Number(line[1]) : (performance.now() - started) / 1000,
    cpuS: line ? Number(line[2]) + Number(line[3]) : NaN,
    peakRssMiB: line ? Number(line[4]) / 1024 : NaN,
    output: `${result.stdout}\n${result.stderr}`,
  };
}

async function cli(kind: string, data: string, engineArgs: string[], timeoutMs: number): Promise<Measurement> {
  const out = await mkdtemp(path.join(path.dirname(path.resolve(data)), '.bench-engines-'));
  try {
    const r = await timed(['node', '--import', 'tsx', 'src/cli/pipeline.ts', '--input', data, '--out', out, '--run-date', RUN_DATE, ...engineArgs], timeoutMs);
    const manifest = await readFile(path.join(out, 'run.json'), 'utf8').then((t) => JSON.parse(t), () => undefined);
    const note = r.ok ? undefined : (r.output.match(/^pipeline: .*$/m)?.[0] ?? r.output.trim().split('\n').at(-2) ?? 'failed');
    return { kind, ok: r.ok, wallS: r.wallS, cpuS: r.cpuS, runS: manifest?.durationMs / 1000, peakRssMiB: r.peakRssMiB, note };
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

async function floor(script: string, data: string, timeoutMs: number): Promise<Measurement> {
  if (!existsSync(path.resolve(ROOT, script))) return { kind: 'floor', ok: false, wallS: NaN, cpuS: NaN, peakRssMiB: NaN, note: `${script} is not there` };
  const r = await timed(['node', '--import', 'tsx', script, '--data', data, '--threads', '1'], timeoutMs);
  const result = JSON.parse(/^BENCH_RESULT (.*)$/m.exec(r.output)?.[1] ?? '{}');
  return { kind: 'floor', ok: r.ok && !result.fatal, wallS: r.wallS, cpuS: r.cpuS, runS: result.totalMs / 1000, peakRssMiB: r.peakRssMiB, note: result.fatal };
}

async function main() {
  const { values } = parseArgs({
    options: {
      scales: { type: 'string', default: '10,100,1000' },
      runs: { type: 'string', default: '1' },
      'data-root': { type: 'string', default: '/work/data' },
      memory: { type: 'string', default: '75%' },
      'timeout-min': { type: 'string', default: '180' },
      floor: { type: 'string', default: 'bench/floor.ts' },
      only: { type: 'string', default: 'native,native-1t,wasm,floor' },
    },
  });
  const timeoutMs = Number(values['timeout-min']) * 60_000;
  console.log(`machine: ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB; native --memory ${values.memory}`);
  console.log('\n| scale | input | engine | state | wall s | CPU s | run s | peak RSS MiB | load |');
  console.log('|:--|--:|:--|:--|--:|--:|--:|--:|--:|');
  for (const scale of values.scales.split(',')) {
    const data = path.join(values['data-root'], `scale${scale}`);
    const files = await expandInputs([data]);
    const bytes = (await Promise.all(files.map((f) => stat(f)))).reduce((sum, s) => sum + s.size, 0);
    const fits = assessInputSize(bytes).verdict !== 'too-large';
    const kinds: [string, () => Promise<Measurement>][] = [
      ['native', () => cli('native (all threads)', data, ['--engine', 'native', '--memory', values.memory], timeoutMs)],
      ['native-1t', () => cli('native (1 thread)', data, ['--engine', 'native', '--threads', '1', '--memory', values.memory], timeoutMs)],
      ['wasm', async () => (fits ? cli('wasm', data, ['--engine', 'wasm'], timeoutMs)
        : { kind: 'wasm', ok: false, wallS: NaN, cpuS: NaN, peakRssMiB: NaN, note: 'does not fit (size guard)' })],
      ['floor', () => floor(values.floor, data, timeoutMs)],
    ];
    for (const [, measure] of kinds.filter(([name]) => values.only.split(',').includes(name))) {
      const runs: Measurement[] = [];
      for (let i = 0; i < Number(values.runs); i++) runs.push(await measure());
      const ok = runs.filter((r) => r.ok);
      const pick = (f: (m: Measurement) => number | undefined) => (ok.length ? median(ok.map((m) => f(m) ?? NaN)).toFixed(1) : '—');
      const first = runs[0];
      const state = ok.length === runs.length ? 'success' : (first.note ?? 'failed');
      console.log(`| ${scale} | ${(bytes / 1e9).toFixed(2)} GB | ${first.kind} | ${state} | ${pick((m) => m.wallS)} | ${pick((m) => m.cpuS)} | ${pick((m) => m.runS)} | ${pick((m) => m.peakRssMiB)} | ${load()} |`);
    }
  }
}

await main();
