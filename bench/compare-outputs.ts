/**
 * Proves that a change left every output as it was: runs the command line (`npm run pipeline`)
 * of two checkouts — a base revision (checked out with `git worktree add` into a temporary
 * folder) and the working tree — on the same inputs, for CSV and Parquet, and compares:
 * - every file of the package byte for byte; run.json without its run id, times and
 *   durations; README.txt without its "Run …, started …" line; kpis.xlsx entry by entry
 *   (the zip stamps entries with the time of writing);
 * - every validation finding (run.json) and its sample rows with their lines, every row
 *   of every rejects.* table (the quarantine and rejects.repairs with their counts and
 *   lines), read from the engine at the end of the run by bench/cli-probe.ts.
 * Prints every difference and exits 1 if there is any (2 on a usage or run error).
 *
 *   npx tsx bench/compare-outputs.ts --base <rev> [--data real,10] [--formats csv,parquet] [--keep]
 *
 * `real` is ../shared/datasets/retail-dw, a number N is /work/data/scaleN (or bench/.data/scaleN),
 * anything with a slash a folder.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { unzipSync } from 'fflate';
import { checkoutRevision, entryPoints, git, HEAD } from './checkout.ts';
import type { ProbeOutput } from './cli-probe.ts';
import { dataDir } from './run-one.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PROBE = path.join(HERE, 'cli-probe.ts');
const RUN_DATE = '2026-02-01';

interface Tree {
  label: string;
  root: string;
}

interface Outcome {
  dir: string;
  probe: ProbeOutput;
  code: number;
  stderr: string;
}

/** The folder of a data set name: `real` or a scale. */
export function dataFolder(name: string): string {
  if (name === 'real') return path.resolve(HEAD, '../shared/datasets/retail-dw');
  if (name.includes('/')) return path.resolve(name);
  const dir = dataDir(name);
  if (existsSync(path.join(dir, 'source_crm'))) return dir;
  throw new Error(`no data for scale ${name}: npm run generate -- --scale ${name} --out /work/data/scale${name}`);
}

/** Runs one checkout's command line with the probe; the package goes to `dir`. */
async function runCli(tree: Tree, data: string, format: string, dir: string): Promise<Outcome> {
  const { cli, engineModule, engineArgs } = await entryPoints(tree.root);
  const probeFile = `${dir}.probe.json`;
  // the wasm command line (the browser's engine), which the probe wraps, not the native default
  const args = ['--import', 'tsx', '--import', PROBE, cli, ...engineArgs, '--input', data, '--out', dir, '--format', format, '--run-date', RUN_DATE];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: tree.root,
      env: { ...process.env, PROBE_OUT: probeFile, PROBE_DUMP: '1', PROBE_ENGINE_MODULE: engineModule },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', async (code) => {
      try {
        const probe = JSON.parse(await readFile(probeFile, 'utf8')) as ProbeOutput;
        resolve({ dir, probe, code: code ?? -1, stderr });
      } catch (e) {
        reject(new Error(`${tree.label}: no probe output (exit ${code}): ${stderr.trim().split('\n').slice(-3).join(' ')} ${String(e)}`));
      }
    });
  });
}

// ------------------------------------------------------------------ comparing

const VOLATILE = new Set(['runId', 'startedAt', 'endedAt', 'durationMs']);

function withoutTimes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTimes);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([k]) => !VOLATILE.has(k)).map(([k, v]) => [k, withoutTimes(v)]));
  }
  return value;
}

/** The first place two byte strings differ, said with its line for text files. */
function firstDifference(a: Uint8Array, b: Uint8Array): string {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  if (i === n && a.length === b.length) return '';
  let line = 1;
  for (let k = 0; k < i; k++) if (a[k] === 10) line++;
  // The line around the difference, at most 100 bytes either side (XML has one long line).
  const lineAt = (buf: Uint8Array) => {
    let s = i;
    while (s > 0 && buf[s - 1] !== 10 && i - s < 100) s--;
    let e = i;
    while (e < buf.length && buf[e] !== 10 && e - i < 100) e++;
    return new TextDecoder().decode(buf.subarray(s, e));
  };
  return `sizes ${a.length} vs ${b.length} bytes; first difference at byte ${i} (line ${line}):\n      base: ${lineAt(a)}\n      head: ${lineAt(b)}`;
}

function describeJsonDiff(a: unknown, b: unknown, at = ''): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((k) => describeJsonDiff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}/${k}`));
  }
  return [`${at || '/'}: base ${JSON.stringify(a)?.slice(0, 300)} | head ${JSON.stringify(b)?.slice(0, 300)}`];
}

async function compareFile(name: string, base: string, head: string): Promise<string[]> {
  const a = await readFile(path.join(base, name));
  const b = await readFile(path.join(head, name));
  if (name === 'run.json') {
    return describeJsonDiff(withoutTimes(JSON.parse(a.toString('utf8'))), withoutTimes(JSON.parse(b.toString('utf8'))));
  }
  if (name === 'README.txt') {
    const mask = (t: string) => t.replace(/^Run .*?, started .*? UTC,/m, 'Run <id>, started <time> UTC,');
    const d = firstDifference(Buffer.from(mask(a.toString('utf8'))), Buffer.from(mask(b.toString('utf8'))));
    return d ? [d] : [];
  }
  if (name.endsWith('.xlsx')) {
    const za = unzipSync(a);
    const zb = unzipSync(b);
    const entries = new Set([...Object.keys(za), ...Object.keys(zb)]);
    const out: string[] = [];
    for (const e of entries) {
      if (!za[e] || !zb[e]) out.push(`entry ${e} only in ${za[e] ? 'base' : 'head'}`);
      else {
        const d = firstDifference(za[e], zb[e]);
        if (d) out.push(`entry ${e}: ${d}`);
      }
    }
    return out;
  }
  const d = firstDifference(a, b);
  return d ? [d] : [];
}

function compareRows(what: string, a: unknown[] | undefined, b: unknown[] | undefined): string[] {
  const sa = (a ?? []).map((r) => JSON.stringify(r));
  const sb = (b ?? []).map((r) => JSON.stringify(r));
  if (sa.join('\n') === sb.join('\n')) return [];
  const onlyA = sa.filter((r) => !sb.includes(r));
  const onlyB = sb.filter((r) => !sa.includes(r));
  const out = [`${what}: ${sa.length} rows at base, ${sb.length} at head${!onlyA.length && !onlyB.length ? ' (same rows, other order)' : ''}`];
  for (const r of onlyA.slice(0, 5)) out.push(`      only base: ${r.slice(0, 300)}`);
  for (const r of onlyB.slice(0, 5)) out.push(`      only head: ${r.slice(0, 300)}`);
  return out;
}

async function compareRuns(base: Outcome, head: Outcome): Promise<{ files: number; diffs: string[] }> {
  const diffs: string[] = [];
  if (base.code !== head.code) diffs.push(`exit code ${base.code} vs ${head.code}: ${head.stderr.trim().split('\n').at(-1) ?? ''}`);
  const fa = (await readdir(base.dir)).sort();
  const fb = (await readdir(head.dir)).sort();
  for (const f of fa.filter((x) => !fb.includes(x))) diffs.push(`${f}: only at base`);
  for (const f of fb.filter((x) => !fa.includes(x))) diffs.push(`${f}: only at head`);
  const both = fa.filter((x) => fb.includes(x));
  for (const f of both) for (const d of await compareFile(f, base.dir, head.dir)) diffs.push(`${f}: ${d}`);
  const tables = new Set([...Object.keys(base.probe.rejects ?? {}), ...Object.keys(head.probe.rejects ?? {})]);
  for (const t of tables) diffs.push(...compareRows(`rejects.${t}`, base.probe.rejects?.[t], head.probe.rejects?.[t]));
  const samples = (p: ProbeOutput) => (p.validationSamples ?? []).map((rows) => JSON.stringify(rows)).sort();
  diffs.push(...compareRows('validation samples (rows with their lines)', samples(base.probe), samples(head.probe)));
  for (const p of [base, head]) if (p.probe.dumpError) diffs.push(`could not read the rejects tables: ${p.probe.dumpError}`);
  if (!base.probe.rejects || !Object.keys(base.probe.rejects).length) diffs.push('base: no rejects tables were read (the run failed?)');
  return { files: both.length, diffs };
}

// ------------------------------------------------------------------ main

async function main() {
  const { values } = parseArgs({
    options: {
      base: { type: 'string' },
      data: { type: 'string', default: 'real,10' },
      formats: { type: 'string', default: 'csv,parquet' },
      keep: { type: 'boolean', default: false },
    },
  });
  if (!values.base) {
    console.error('usage: npx tsx bench/compare-outputs.ts --base <rev> [--data real,10] [--formats csv,parquet] [--keep]');
    process.exit(2);
  }
  const base = await checkoutRevision(values.base);
  const rev = base.rev;
  const baseRoot = base.root;
  const work = path.dirname(baseRoot);
  const trees: Tree[] = [{ label: `base ${rev.slice(0, 8)}`, root: baseRoot }, { label: 'head (working tree)', root: HEAD }];
  const dirty = git(['status', '--porcelain', '--', 'src', 'models']);
  console.log(`compare-outputs: base ${rev.slice(0, 10)} vs the working tree${dirty ? ` (${dirty.split('\n').length} uncommitted files in src/ or models/)` : ''}; run date ${RUN_DATE}`);
  let failures = 0;
  try {
    for (const name of values.data.split(',').map((s) => s.trim()).filter(Boolean)) {
      const data = dataFolder(name);
      for (const format of values.formats.split(',').map((s) => s.trim()).filter(Boolean)) {
        const outcomes: Outcome[] = [];
        for (const tree of trees) {
          const started = performance.now();
          const o = await runCli(tree, data, format, path.join(work, `${tree === trees[0] ? 'base' : 'head'}-${name}-${format}`));
          outcomes.push(o);
          console.log(`  ${tree.label.padEnd(20)} ${name} ${format}: exit ${o.code} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
        }
        const { files, diffs } = await compareRuns(outcomes[0], outcomes[1]);
        const rejects = Object.entries(outcomes[1].probe.rejects ?? {}).map(([t, r]) => `rejects.${t} ${r.length} rows`).join(', ');
        const samples = outcomes[1].probe.validationSamples?.length ?? 0;
        if (diffs.length === 0) {
          console.log(`same: ${name} ${format}: ${files} files, ${rejects}, ${samples} validation samples`);
        } else {
          failures += diffs.length;
          console.log(`DIFFERENT: ${name} ${format}: ${diffs.length} difference(s)`);
          for (const d of diffs) console.log(`  - ${d}`);
        }
      }
    }
  } finally {
    if (!values.keep) await base.remove();
    else console.log(`kept: ${work} (remove the worktree with: git worktree remove --force ${baseRoot})`);
  }
  if (failures) {
    console.log(`\n${failures} difference(s): the outputs changed`);
    process.exit(1);
  }
  console.log('\nno differences');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(`compare-outputs: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(2);
  });
}
