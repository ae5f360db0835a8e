/**
 * The benchmark's printed report (bench/run.ts): per scale the floor, the command line,
 * Chromium and any engines asked for, their ratios to the floor, peak memory, CPU, and
 * where the command line's time goes (task by task, then the slowest models).
 * Medians over the runs; a kind whose runs all failed shows its first error.
 */
import os from 'node:os';
import type { Kind, Measurement } from './measure.ts';

export interface ScaleResult {
  scale: string;
  dir: string;
  inputBytes: number;
  inputLines: number;
  files: number;
  measurements: Measurement[];
}

const MB = 1e6;
const MiB = 1024 * 1024;
export const TASKS = ['ingest_bronze', 'validate_data', 'run_silver', 'run_gold', 'run_kpi', 'run_segmentation', 'export_for_powerbi'];
const LABELS: Record<string, string> = {
  floor: 'floor', cli: 'CLI', browser: 'Chromium', wasm: 'runner wasm', native: 'runner native-1t', 'native-mt': 'runner native-mt',
};
const label = (k: Kind) => LABELS[k] ?? k.replace(/^cli@/, 'CLI@');

export function median(xs: (number | undefined)[]): number | undefined {
  const s = xs.filter((x): x is number => x !== undefined && Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return undefined;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const secs = (ms: number | undefined) => (ms === undefined ? '—' : (ms / 1000).toFixed(2));
const ratio = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined || b === 0 ? '—' : (a / b).toFixed(2));
const mib = (b: number | undefined) => (b === undefined ? '—' : (b / MiB).toFixed(0));

export function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r: string[]) => `| ${r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join(' | ')} |`;
  const sep = `|${widths.map((w, c) => (c === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(rows[0]), sep, ...rows.slice(1).map(line)].join('\n');
}

const okOf = (s: ScaleResult, k: Kind) => s.measurements.filter((m) => m.kind === k && m.ok);
const med = (s: ScaleResult, k: Kind, pick: (m: Measurement) => number | undefined) => median(okOf(s, k).map(pick));

function kindsOf(s: ScaleResult): Kind[] {
  const present = [...new Set(s.measurements.map((m) => m.kind))];
  const order: Kind[] = ['floor', 'cli', ...present.filter((k) => k.startsWith('cli@')), 'browser', 'wasm', 'native', 'native-mt'];
  return order.filter((k) => present.includes(k));
}

function cell(s: ScaleResult, k: Kind, pick: (m: Measurement) => number | undefined, fmt = secs): string {
  if (!okOf(s, k).length) return s.measurements.some((m) => m.kind === k) ? 'FAILED' : '—';
  return fmt(med(s, k, pick));
}

export function scaleReport(s: ScaleResult): string {
  const kinds = kindsOf(s);
  const runs = Math.max(...kinds.map((k) => s.measurements.filter((m) => m.kind === k).length));
  const out: string[] = [];
  out.push(`### scale ${s.scale}: input ${(s.inputBytes / MB).toFixed(1)} MB, ${s.inputLines.toLocaleString('en-US')} lines in ${s.files} files; median of ${runs} run${runs === 1 ? '' : 's'}`, '');
  const floor = (pick: (m: Measurement) => number | undefined) => med(s, 'floor', pick);
  const rows: string[][] = [['', ...kinds.map((k) => label(k)), ...kinds.filter((k) => k !== 'floor').map((k) => `${label(k)}/floor`)]];
  const row = (label: string, pick: (m: Measurement) => number | undefined, fmt = secs, withRatio = true) => rows.push([
    label, ...kinds.map((k) => cell(s, k, pick, fmt)),
    ...kinds.filter((k) => k !== 'floor').map((k) => (withRatio ? ratio(med(s, k, pick), floor(pick)) : '')),
  ]);
  row('wall s (the work)', (m) => m.totalMs);
  row('CPU s (the work)', (m) => m.cpuMs);
  row('wall s (process, start-up incl.)', (m) => (m.kind === 'browser' ? undefined : m.processMs));
  row('peak RSS MiB', (m) => m.peakRss, mib, false);
  row('wasm heap MiB', (m) => m.wasmHeap, mib, false);
  row('wasm heap ÷ input bytes', (m) => (m.wasmHeap ? m.wasmHeap / s.inputBytes : undefined), (x) => (x === undefined ? '—' : x.toFixed(2)), false);
  out.push(table(rows));
  const loads = s.measurements.flatMap((m) => m.load);
  out.push('', `1-min load average during these runs: ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} on ${os.cpus().length} cores.`);

  // Where the command line's time goes.
  const taskKinds = kinds.filter((k) => k !== 'floor' && k !== 'browser' && okOf(s, k).length);
  if (taskKinds.length) {
    const total = (k: Kind) => med(s, k, (m) => m.totalMs);
    const t: string[][] = [['task', ...taskKinds.flatMap((k) => [`${label(k)} wall s`, `${label(k)} CPU s`, 'share'])]];
    const extra = taskKinds.some((k) => k.startsWith('cli')) ? ['package', 'start-up'] : [];
    for (const task of [...TASKS, ...extra]) {
      t.push([task === 'package' ? 'package (README, run.json, kpis.xlsx)' : task === 'start-up' ? 'start-up (not in the work: Node, wasm, inspection)' : task,
        ...taskKinds.flatMap((k) => {
          const ms = med(s, k, (m) => m.tasks[task]?.ms);
          return [secs(ms), secs(med(s, k, (m) => m.tasks[task]?.cpuMs)), task === 'start-up' || ms === undefined ? '' : `${(((ms ?? 0) / (total(k) ?? 1)) * 100).toFixed(0)}%`];
        })]);
    }
    out.push('', table(t));
  }
  if (okOf(s, 'floor').length) {
    const steps = Object.keys(okOf(s, 'floor')[0].tasks);
    out.push('', table([['floor step', 'wall s', 'CPU s'], ...steps.map((id) => [id, secs(floor((m) => m.tasks[id]?.ms)), secs(floor((m) => m.tasks[id]?.cpuMs))])]));
  }
  const cli = okOf(s, 'cli');
  if (cli.length) {
    const ids = cli[0].steps.map((x) => x.id);
    const at = (id: string, pick: (x: Measurement['steps'][number]) => number | undefined) => median(cli.map((m) => pick(m.steps.find((x) => x.id === id)!)));
    const medians = ids.map((id) => ({ id, ms: at(id, (x) => x?.ms), cpu: at(id, (x) => x?.cpuMs) })).sort((a, b) => (b.cpu ?? 0) - (a.cpu ?? 0)).slice(0, 15);
    out.push('', 'CLI: the costliest steps (models, loads, data tests, export files; validate_data has none):', '',
      table([['step', 'wall s', 'CPU s'], ...medians.map((x) => [x.id, secs(x.ms), secs(x.cpu)])]));
  }
  for (const f of s.measurements.filter((m) => !m.ok)) out.push('', `**${label(f.kind)} run ${f.run} FAILED** after ${secs(f.processMs)} s${f.wasmHeap ? ` (wasm heap ${mib(f.wasmHeap)} MiB)` : ''}: ${f.error}`);
  return out.join('\n');
}

export function summary(results: ScaleResult[]): string {
  const kinds = [...new Set(results.flatMap(kindsOf))];
  const others = kinds.filter((k) => k !== 'floor');
  const rows = [['scale', 'input MB', ...kinds.map((k) => `${label(k)} s`), ...others.map((k) => `${label(k)}/floor`), ...others.map((k) => `${label(k)}/floor CPU`), 'heap B/B']];
  for (const s of results) {
    rows.push([
      s.scale, (s.inputBytes / MB).toFixed(1),
      ...kinds.map((k) => cell(s, k, (m) => m.totalMs)),
      ...others.map((k) => ratio(med(s, k, (m) => m.totalMs), med(s, 'floor', (m) => m.totalMs))),
      ...others.map((k) => ratio(med(s, k, (m) => m.cpuMs), med(s, 'floor', (m) => m.cpuMs))),
      cell(s, 'cli', (m) => (m.wasmHeap ? m.wasmHeap / s.inputBytes : undefined), (x) => (x === undefined ? '—' : x.toFixed(2))),
    ]);
  }
  return `## summary: the work, wall seconds (median), and ratios to the floor measured in the same invocation\n\n${table(rows)}`;
}
