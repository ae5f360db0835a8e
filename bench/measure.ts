/**
 * One measurement each, in a fresh child process (memory does not carry over; a crash is
 * reported, not fatal): the floor (bench/floor.ts), the command line exactly as
 * `npm run pipeline` runs it (with bench/cli-probe.ts preloaded to read its heap and CPU),
 * and the runner on a chosen engine (bench/run-one.ts: wasm, native, native-mt).
 * All give the same shape, so bench/run.ts can put them side by side.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { entryPoints } from './checkout.ts';
import type { ProbeOutput } from './cli-probe.ts';
import type { FloorResult } from './floor.ts';
import { BENCH_RUN_DATE, peakRssBytes, RESULT_PREFIX, type EngineKind, type OneResult } from './run-one.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..');

/** `cli@<rev>`: the command line of another revision (bench/checkout.ts). */
export type Kind = 'floor' | 'cli' | 'browser' | EngineKind | `cli@${string}`;

export interface TaskTime {
  ms: number;
  cpuMs?: number;
}

export interface Measurement {
  kind: Kind;
  run: number;
  ok: boolean;
  error?: string;
  /** The work itself: floor = first statement to last file; cli = run start to the package written. */
  totalMs?: number;
  cpuMs?: number;
  /** Browser: saving the results to IndexedDB, inside totalMs (the page's `results-saved` mark). */
  saveMs?: number;
  /** Chromium: from the last task's end (as the page shows it) to `success`: the aggregates and the save. */
  tailMs?: number;
  /** Spawn to exit of the child (start-up, input inspection and hashing included). */
  processMs: number;
  /** Per task (cli: the DAG's tasks, `package` and `start-up`; floor: its steps). */
  tasks: Record<string, TaskTime>;
  /** Per model / load / export file, wall ms (cli and run-one). */
  steps: { id: string; ms: number; cpuMs?: number }[];
  peakRss?: number;
  wasmHeap?: number;
  /** Chromium with --again: the same files run a second time in the same page (the first run's results held meanwhile). */
  again?: { ok: boolean; totalMs: number; wasmHeap?: number; error?: string };
  /** 1-minute load average when the child started and ended. */
  load: [number, number];
}

interface Child {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  peakRss?: number;
  processMs: number;
  load: [number, number];
}

/** Runs a node child, polling its peak RSS (VmHWM) so a child that dies still has one. */
function runNode(args: string[], env: Record<string, string>, timeoutMs: number, cwd = REPO): Promise<Child> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const load0 = os.loadavg()[0];
    const child = spawn(process.execPath, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let peak = 0;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr = (stderr + d).slice(-100_000);
    });
    const poll = setInterval(async () => {
      if (child.pid) peak = Math.max(peak, (await peakRssBytes(child.pid)) ?? 0);
    }, 200);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearInterval(poll);
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, peakRss: peak || undefined, processMs: performance.now() - started, load: [load0, os.loadavg()[0]] });
    });
  });
}

function failure(c: Child): string {
  const tail = c.stderr.trim().split('\n').slice(-4).join(' | ');
  return `exit ${c.signal ?? c.code}${tail ? `: ${tail}` : ''}`;
}

function resultLine<T>(stdout: string): T | undefined {
  const line = stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
  return line ? (JSON.parse(line.slice(RESULT_PREFIX.length)) as T) : undefined;
}

export async function measureFloor(data: string, run: number, timeoutMs: number): Promise<Measurement> {
  const c = await runNode(['--import', 'tsx', path.join(HERE, 'floor.ts'), '--data', data], {}, timeoutMs);
  const r = resultLine<FloorResult>(c.stdout);
  const base = { kind: 'floor' as const, run, processMs: c.processMs, load: c.load, peakRss: Math.max(c.peakRss ?? 0, r?.peakRss ?? 0) || undefined };
  if (!r || r.fatal || c.code !== 0) return { ...base, ok: false, error: r?.fatal ?? failure(c), tasks: {}, steps: [] };
  const tasks = Object.fromEntries(r.steps.map((s) => [s.id, { ms: s.ms, cpuMs: s.cpuMs }]));
  return { ...base, ok: true, totalMs: r.totalMs, cpuMs: r.cpuMs, tasks, steps: r.steps.map((s) => ({ id: s.id, ms: s.ms })) };
}

interface RunJson {
  state: string;
  startedAt: string;
  endedAt: string;
  tasks: { id: string; durationMs?: number; steps: { id: string; durationMs?: number }[] }[];
  error?: string;
}

/** Process CPU at time t, interpolated between the probe's samples around engine calls. */
export function cpuAt(samples: [number, number][], t: number): number {
  let lo: [number, number] | undefined;
  let hi: [number, number] | undefined;
  for (const s of samples) {
    if (s[0] <= t) lo = s;
    else {
      hi = s;
      break;
    }
  }
  if (!lo) return hi?.[1] ?? 0;
  if (!hi || hi[0] === lo[0]) return lo[1];
  return lo[1] + ((hi[1] - lo[1]) * (t - lo[0])) / (hi[0] - lo[0]);
}

/**
 * `npm run pipeline` on one data folder: the package goes to a temporary folder, removed after.
 * `other` runs another checkout's command line (kind `cli@<rev>`).
 */
export async function measureCli(data: string, run: number, timeoutMs: number, other?: { kind: Kind; root: string }): Promise<Measurement> {
  const out = await mkdtemp(path.join(os.tmpdir(), 'bench-cli-'));
  try {
    const probeFile = path.join(out, '.probe.json');
    const { cli, engineModule, engineArgs } = await entryPoints(other?.root ?? REPO);
    const args = ['--import', 'tsx', '--import', path.join(HERE, 'cli-probe.ts'), cli, ...engineArgs,
      '--input', data, '--out', path.join(out, 'package'), '--run-date', BENCH_RUN_DATE];
    const c = await runNode(args, { PROBE_OUT: probeFile, PROBE_ENGINE_MODULE: engineModule }, timeoutMs, other?.root);
    const base = { kind: other?.kind ?? ('cli' as const), run, processMs: c.processMs, load: c.load, peakRss: c.peakRss, tasks: {}, steps: [] };
    const probe = await readFile(probeFile, 'utf8').then((t) => JSON.parse(t) as ProbeOutput).catch(() => undefined);
    const report = await readFile(path.join(out, 'package', 'run.json'), 'utf8').then((t) => JSON.parse(t) as RunJson).catch(() => undefined);
    if (c.code !== 0 || !probe?.exitAt || !report || report.state !== 'success') {
      return { ...base, ok: false, error: report?.error ?? failure(c), wasmHeap: probe?.wasmHeap };
    }
    const start = Date.parse(report.startedAt);
    const end = Date.parse(report.endedAt);
    const cpu = (t: number) => cpuAt(probe.samples, t);
    const tasks: Record<string, TaskTime> = {};
    // run.json keeps durations only; the tasks run one after the other from the run's start.
    // So do the steps within a task; the short gaps between them (row counts, progress) fall to the next.
    const steps: Measurement['steps'] = [];
    let t0 = start;
    for (const t of report.tasks) {
      if (t.durationMs === undefined) continue;
      tasks[t.id] = { ms: t.durationMs, cpuMs: cpu(t0 + t.durationMs) - cpu(t0) };
      let s0 = t0;
      for (const st of t.steps) {
        const ms = st.durationMs ?? 0;
        steps.push({ id: `${t.id}/${st.id}`, ms, cpuMs: cpu(s0 + ms) - cpu(s0) });
        s0 += ms;
      }
      t0 += t.durationMs;
    }
    tasks.package = { ms: probe.exitAt - end, cpuMs: (probe.exitCpu ?? 0) - cpu(end) };
    tasks['start-up'] = { ms: start - probe.processStart, cpuMs: cpu(start) };
    return {
      ...base, ok: true, totalMs: probe.exitAt - start, cpuMs: (probe.exitCpu ?? 0) - cpu(start),
      tasks, steps, wasmHeap: probe.wasmHeap,
    };
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

/** The runner on one engine (bench/run-one.ts), for the same-SQL comparisons of engines. */
export async function measureEngine(kind: EngineKind, data: string, run: number, timeoutMs: number, variant?: string): Promise<Measurement> {
  const args = ['--import', 'tsx', path.join(HERE, 'run-one.ts'), '--engine', kind, '--data', data, ...(variant ? ['--variant', variant] : [])];
  const c = await runNode(args, {}, timeoutMs);
  const one = resultLine<OneResult>(c.stdout);
  const r = one?.runs[0];
  const base = { kind, run, processMs: c.processMs, load: c.load, peakRss: Math.max(c.peakRss ?? 0, one?.peakRss ?? 0) || undefined, wasmHeap: one?.peakWasmHeap };
  if (!r || r.state !== 'success') return { ...base, ok: false, error: one?.fatal ?? r?.error ?? failure(c), tasks: {}, steps: [] };
  const tasks = Object.fromEntries(Object.entries(r.tasks).map(([id, t]) => [id, { ms: t.ms, cpuMs: t.cpuMs }]));
  return { ...base, ok: true, totalMs: r.totalMs, cpuMs: r.cpuMs, tasks, steps: r.steps.map((s) => ({ id: `${s.task}/${s.id}`, ms: s.ms })) };
}
