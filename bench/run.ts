/**
 * npm run bench -- [--scales 1,10,100] [--runs N] [--engines wasm,native,native-mt]
 *                  [--timeout-min M] [--json <file>] [--variant <names>] [--from <file>]
 *
 * The whole pipeline DAG (ingest_bronze ... export_for_powerbi) on generated data,
 * timed on our engine (DuckDB-WASM in Node) and on native DuckDB of the same core
 * version running the same SQL: single-threaded (`set threads = 1`) and with the
 * default threads. Every measurement is a fresh child process (bench/run-one.ts),
 * so memory does not carry over and a crash is reported, not fatal.
 * Data is generated once into bench/.data/scaleN and reused.
 * --variant measures a candidate pipeline change (bench/variants.ts) instead of the
 * pipeline as shipped; --from prints the report of a saved results file again.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { expandInputs, loadModelFiles, REPO_ROOT } from '../src/cli/node-inputs.ts';
import { ENGINES, RESULT_PREFIX, dataDir, peakRssBytes, type EngineKind, type OneResult, type RunResult } from './run-one.ts';
import { parseVariants, VARIANTS } from './variants.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const RUN_ONE = path.join(HERE, 'run-one.ts');
const TASKS = ['ingest_bronze', 'validate_data', 'run_silver', 'run_gold', 'run_kpi', 'run_segmentation', 'export_for_powerbi'];
const LABEL: Record<EngineKind, string> = { wasm: 'wasm', native: 'native-1t', 'native-mt': 'native-mt' };

interface Measurement {
  engine: EngineKind;
  run: number;
  ok: boolean;
  /** Why it failed: pipeline error, fatal error, signal or exit code, last stderr lines. */
  error?: string;
  result?: RunResult;
  one?: OneResult;
  peakRss?: number;
  wallMs: number;
  /** 1-minute load average when the child started and ended (other work on the machine). */
  load: [number, number];
}

interface ScaleResult {
  scale: string;
  dir: string;
  inputBytes: number;
  inputLines: number;
  files: number;
  measurements: Measurement[];
}

const MB = 1e6;
const MiB = 1024 * 1024;

// ------------------------------------------------------------------ data

async function ensureData(scale: string): Promise<string> {
  const dir = dataDir(scale);
  if (existsSync(dir)) return dir;
  const tmp = `${dir}.tmp`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(path.dirname(dir), { recursive: true });
  console.log(`generating scale ${scale} into ${path.relative(REPO_ROOT, dir)} ...`);
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'src/cli/generate.ts'), '--scale', scale, '--out', tmp], {
      cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`generator exited with ${code}`))));
  });
  await rename(tmp, dir);
  return dir;
}

async function countLines(file: string): Promise<number> {
  let n = 0;
  for await (const chunk of createReadStream(file)) {
    const buf = chunk as Buffer;
    for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, i + 1)) n++;
  }
  return n;
}

// ------------------------------------------------------------------ children

function runChild(engine: EngineKind, dir: string, timeoutMs: number, variant?: string): Promise<Omit<Measurement, 'run'>> {
  return new Promise((resolve) => {
    const started = performance.now();
    const load0 = os.loadavg()[0];
    const args = ['--import', 'tsx', RUN_ONE, '--engine', engine, '--data', dir, ...(variant ? ['--variant', variant] : [])];
    const child = spawn(process.execPath, args, {
      cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let polledPeak = 0;
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      if (stderr.length > 200_000) stderr = stderr.slice(-100_000);
    });
    // The child's own VmHWM is read at its end; polling covers a child that dies.
    const poll = setInterval(async () => {
      if (child.pid) polledPeak = Math.max(polledPeak, (await peakRssBytes(child.pid)) ?? 0);
    }, 200);
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearInterval(poll);
      clearTimeout(timer);
      const wallMs = performance.now() - started;
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      const one = line ? (JSON.parse(line.slice(RESULT_PREFIX.length)) as OneResult) : undefined;
      const result = one?.runs[0];
      const peakRss = Math.max(one?.peakRss ?? 0, polledPeak) || undefined;
      const tail = stderr.trim().split('\n').slice(-6).join('\n');
      let error: string | undefined;
      if (timedOut) error = `timed out after ${(timeoutMs / 60000).toFixed(0)} min`;
      else if (one?.fatal) error = one.fatal;
      else if (!result) error = `child died (${signal ? `signal ${signal}` : `exit code ${code}`}) without a result${tail ? `; stderr: ${tail}` : ''}`;
      else if (result.state !== 'success') error = `pipeline ${result.state}: ${result.error}`;
      resolve({ engine, ok: !error, error, result, one, peakRss, wallMs, load: [load0, os.loadavg()[0]] });
    });
  });
}

// ------------------------------------------------------------------ report

function median(xs: number[]): number | undefined {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function ok(ms: Measurement[], engine: EngineKind): Measurement[] {
  return ms.filter((m) => m.engine === engine && m.ok);
}

function secs(ms: number | undefined): string {
  return ms === undefined ? '—' : (ms / 1000).toFixed(2);
}

function ratio(a: number | undefined, b: number | undefined): string {
  return a === undefined || b === undefined || b === 0 ? '—' : (a / b).toFixed(2);
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r: string[]) => `| ${r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join(' | ')} |`;
  const sep = `|${widths.map((w, c) => (c === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(rows[0]), sep, ...rows.slice(1).map(line)].join('\n');
}

function scaleReport(s: ScaleResult, engines: EngineKind[]): string {
  const out: string[] = [];
  const runs = Math.max(0, ...engines.map((e) => s.measurements.filter((m) => m.engine === e).length));
  out.push(`### scale ${s.scale}: input ${(s.inputBytes / MB).toFixed(1)} MB, ${s.inputLines.toLocaleString('en-US')} lines in ${s.files} files; median of ${runs} run${runs === 1 ? '' : 's'}`);
  out.push('');
  const med = (e: EngineKind, pick: (r: RunResult) => number | undefined) =>
    median(ok(s.measurements, e).map((m) => pick(m.result!)).filter((x): x is number => x !== undefined));
  const hasWasm = engines.includes('wasm');
  const ratios = [
    ...(hasWasm && engines.includes('native') ? ['wasm/native-1t'] : []),
    ...(hasWasm && engines.includes('native-mt') ? ['wasm/native-mt'] : []),
  ];
  // An engine without a successful run shows its first failed run: the tasks it finished, then FAILED.
  const failedRun = (e: EngineKind) => (ok(s.measurements, e).length ? undefined : s.measurements.find((m) => m.engine === e));
  const timeTable = (title: string, pick: (r: RunResult, task?: string) => number | undefined) => {
    const rows: string[][] = [[title, ...engines.map((e) => LABEL[e]), ...ratios]];
    const addRow = (label: string, task: string | undefined) => {
      const v = engines.map((e) => med(e, (r) => pick(r, task)));
      const cells = v.map((x, i) => {
        const failed = failedRun(engines[i]);
        if (!failed) return secs(x);
        const r = failed.result;
        const state = task ? r?.tasks[task]?.state : undefined;
        if (!r || (task && state !== 'success' && state !== 'failed')) return '—';
        if (!task || state === 'failed') return `FAILED${r ? ` (${secs(pick(r, task))})` : ''}`;
        return secs(pick(r, task));
      });
      const w = failedRun('wasm') ? undefined : v[engines.indexOf('wasm')];
      const row = [label, ...cells];
      if (ratios.includes('wasm/native-1t')) row.push(ratio(w, v[engines.indexOf('native')]));
      if (ratios.includes('wasm/native-mt')) row.push(ratio(w, v[engines.indexOf('native-mt')]));
      rows.push(row);
    };
    for (const t of TASKS) addRow(t, t);
    addRow('**total**', undefined);
    return rows;
  };
  const rows = timeTable('wall seconds', (r, t) => (t ? r.tasks[t]?.ms : r.totalMs));
  const cpuRows = timeTable('CPU seconds (user+sys)', (r, t) => (t ? r.tasks[t]?.cpuMs : r.cpuMs));
  const memRow = (label: string, pick: (m: Measurement) => number | undefined) => {
    const v = engines.map((e) => median(s.measurements.filter((m) => m.engine === e).map(pick).filter((x): x is number => !!x)));
    rows.push([label, ...v.map((x) => (x === undefined ? '—' : (x / MiB).toFixed(0))), ...ratios.map(() => '')]);
  };
  memRow('peak RSS (MiB)', (m) => m.peakRss);
  memRow('wasm heap (MiB)', (m) => m.one?.peakWasmHeap);
  const heap = median(s.measurements.filter((m) => m.engine === 'wasm').map((m) => m.one?.peakWasmHeap).filter((x): x is number => !!x));
  if (hasWasm) rows.push(['wasm heap ÷ input bytes', ...engines.map((e) => (e === 'wasm' && heap ? (heap / s.inputBytes).toFixed(1) : '')), ...ratios.map(() => '')]);
  out.push(table(rows));
  out.push('', 'CPU time of the engine process (all its threads) over the same runs: less sensitive than wall time to other work on the machine.', '');
  out.push(table(cpuRows));
  const loads = s.measurements.flatMap((m) => m.load ?? []);
  if (loads.length) out.push('', `1-min load average during the measurements: ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} on ${os.cpus().length} cores${Math.max(...loads) > os.cpus().length + 0.5 ? ' (other work was running: wall times are inflated, compare the CPU table)' : ''}.`);
  const failures = s.measurements.filter((m) => !m.ok);
  for (const f of failures) {
    const heap = f.one?.peakWasmHeap ? `, wasm heap ${(f.one.peakWasmHeap / MiB).toFixed(0)} MiB` : '';
    const rss = f.peakRss ? `, peak RSS ${(f.peakRss / MiB).toFixed(0)} MiB` : '';
    const last = f.result?.steps.at(-1);
    const at = last ? `, last step ${last.task}/${last.id} (${last.state})` : '';
    out.push('', `**${LABEL[f.engine]} run ${f.run} FAILED** after ${secs(f.wallMs)} s${at}${heap}${rss}: ${f.error}`);
  }
  // Where the time goes: the models with the biggest wasm - native-1t gap.
  if (hasWasm && engines.includes('native') && ok(s.measurements, 'wasm').length && ok(s.measurements, 'native').length) {
    const stepMed = (e: EngineKind) => {
      const by = new Map<string, number[]>();
      const add = (k: string, ms: number) => by.set(k, [...(by.get(k) ?? []), ms]);
      for (const m of ok(s.measurements, e)) {
        for (const st of m.result!.steps) add(`${st.task}/${st.id}`, st.ms);
        // Tasks that report no steps (validate_data: ~40 contract checks) count as one.
        for (const t of TASKS) if (!m.result!.steps.some((st) => st.task === t)) add(`${t} (whole task)`, m.result!.tasks[t]?.ms ?? 0);
      }
      return new Map([...by].map(([k, v]) => [k, median(v)!]));
    };
    const w = stepMed('wasm');
    const n = stepMed('native');
    const gaps = [...w].map(([k, ms]) => ({ k, w: ms, n: n.get(k) ?? 0 })).sort((a, b) => (b.w - b.n) - (a.w - a.n)).slice(0, 8);
    const totalGap = (med('wasm', (r) => r.totalMs) ?? 0) - (med('native', (r) => r.totalMs) ?? 0);
    out.push('', `Largest wasm − native-1t gaps by step (total gap ${secs(totalGap)} s):`, '');
    out.push(table([
      ['step', 'wasm s', 'native-1t s', 'ratio', 'gap s', 'share of gap'],
      ...gaps.map((g) => [g.k, secs(g.w), secs(g.n), ratio(g.w, g.n), secs(g.w - g.n), totalGap > 0 ? `${(((g.w - g.n) / totalGap) * 100).toFixed(0)}%` : '—']),
    ]));
  }
  return out.join('\n');
}

// ------------------------------------------------------------------ main

async function main() {
  const { values } = parseArgs({
    options: {
      scales: { type: 'string', default: '1,10,100' },
      runs: { type: 'string' },
      engines: { type: 'string', default: ENGINES.join(',') },
      'timeout-min': { type: 'string', default: '60' },
      json: { type: 'string', default: path.join(HERE, '.data', 'results.json') },
      from: { type: 'string' },
      variant: { type: 'string' },
    },
    allowPositionals: false,
  });
  if (values.from) {
    // Prints the report of a saved run again (no measurement).
    const saved = JSON.parse(await readFile(values.from, 'utf8')) as { date: string; code?: string; variants?: string[]; results: ScaleResult[] };
    console.log(`saved results of ${saved.date}; code: ${saved.code ?? '?'}; pipeline: ${saved.variants?.length ? `VARIANT ${saved.variants.join(' + ')}` : 'as shipped'}`);
    const used = [...new Set(saved.results.flatMap((r) => r.measurements.map((m) => m.engine)))];
    const engines = ENGINES.filter((e) => used.includes(e));
    for (const s of saved.results) console.log(`\n${scaleReport(s, engines)}\n`);
    if (saved.results.length > 1) console.log(summary(saved.results, engines));
    return;
  }
  const scales = values.scales.split(',').map((s) => s.trim()).filter(Boolean);
  const engines = values.engines.split(',').map((s) => s.trim()) as EngineKind[];
  for (const e of engines) if (!ENGINES.includes(e)) throw new Error(`unknown engine ${e}; known: ${ENGINES.join(', ')}`);
  for (const s of scales) if (!(Number(s) > 0)) throw new Error(`bad scale ${s}`);
  const timeoutMs = Number(values['timeout-min']) * 60_000;

  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(`bench: ${new Date().toISOString()}, node ${process.version}, ${os.cpus().length} cores (${cpu}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`);
  const code = await codeFingerprint();
  const variants = parseVariants(values.variant);
  console.log(`code: ${code}`);
  console.log(`pipeline: ${variants.length ? `VARIANT ${variants.map((v) => `${v} (${VARIANTS[v]})`).join(' + ')}` : 'as shipped'}`);
  const results: ScaleResult[] = [];
  for (const scale of scales) {
    const dir = await ensureData(scale);
    const files = await expandInputs([dir]);
    let inputBytes = 0;
    let inputLines = 0;
    for (const f of files) {
      inputBytes += (await stat(f)).size;
      inputLines += await countLines(f);
    }
    const runs = values.runs !== undefined ? Number(values.runs) : Number(scale) >= 100 ? 1 : 3;
    const s: ScaleResult = { scale, dir, inputBytes, inputLines, files: files.length, measurements: [] };
    results.push(s);
    for (let run = 1; run <= runs; run++) {
      // Engines interleaved per run, so drift on the machine hits them alike.
      for (const engine of engines) {
        const m = { ...(await runChild(engine, dir, timeoutMs, variants.join(',') || undefined)), run };
        s.measurements.push(m);
        const total = m.result ? `${secs(m.result.totalMs)} s` : '';
        const load = `load ${m.load[0].toFixed(1)}→${m.load[1].toFixed(1)}`;
        console.log(`  scale ${scale} ${LABEL[engine].padEnd(9)} run ${run}/${runs}: ${m.ok ? `ok ${total}` : `FAILED: ${m.error?.split('\n')[0]}`} (${load})`);
      }
    }
    console.log(`\n${scaleReport(s, engines)}\n`);
  }
  if (results.length > 1) console.log(summary(results, engines));
  await mkdir(path.dirname(values.json), { recursive: true });
  await writeFile(values.json, JSON.stringify({ date: new Date().toISOString(), node: process.version, cpu, cores: os.cpus().length, code, variants, results }, null, 1));
  console.log(`\nraw results: ${path.relative(process.cwd(), values.json)}`);
}

function summary(results: ScaleResult[], engines: EngineKind[]): string {
  const rows = [['scale', 'input MB', 'lines', ...engines.map((e) => LABEL[e]), 'wasm/native-1t', 'wasm/native-mt']];
  for (const s of results) {
    const t = engines.map((e) => median(ok(s.measurements, e).map((m) => m.result!.totalMs)));
    const w = t[engines.indexOf('wasm')];
    rows.push([
      s.scale, (s.inputBytes / MB).toFixed(1), s.inputLines.toLocaleString('en-US'),
      ...t.map((x, i) => (x === undefined ? (s.measurements.some((m) => m.engine === engines[i]) ? 'FAILED' : '—') : secs(x))),
      ratio(w, engines.includes('native') ? t[engines.indexOf('native')] : undefined),
      ratio(w, engines.includes('native-mt') ? t[engines.indexOf('native-mt')] : undefined),
    ]);
  }
  return `## summary: total wall seconds (median)\n\n${table(rows)}`;
}

/** Which models and which commit were measured: the models change often. */
async function codeFingerprint(): Promise<string> {
  const models = await loadModelFiles();
  const hash = createHash('sha256');
  for (const m of models) hash.update(`${m.path}\0${m.sql}\0`);
  let git = 'no git';
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src', 'models'], { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    git = `git ${head}${dirty ? ` + uncommitted changes in src/ or models/ (${dirty.split('\n').length} files)` : ''}`;
  } catch {
    // not a git checkout, or no commit yet
  }
  return `${models.length} model files (sha256 ${hash.digest('hex').slice(0, 12)}), ${git}`;
}

main().catch((e) => {
  console.error(`bench: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
