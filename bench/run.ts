/**
 * npm run bench -- [--scales 1,10,100] [--runs N] [--browser] [--engines floor,cli[,cli@<rev>]]
 *                  [--variant <names>] [--timeout-min M] [--json <file>] [--from <file>]
 *
 * Per scale, in one invocation and interleaved run by run (so drift on the machine hits all
 * alike): the floor (native DuckDB, one thread, bench/floor.sql), the command line exactly as
 * `npm run pipeline` runs it (DuckDB-WASM in Node, the whole run and the written package), and
 * with --browser the app in Chromium (files in → run-status=success). Prints wall and CPU
 * time, the ratios to the floor, peak RSS and wasm heap, the command line's time task by task
 * and its slowest models. `cli@<rev>` adds another revision's command line (a before/after in
 * one invocation). --engines may add the runner on one engine (wasm, native, native-mt:
 * bench/run-one.ts, same SQL on each; --variant applies to those). Every measurement is a
 * fresh child process. Data: /work/data/scaleN when present, else generated into bench/.data.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { expandInputs, REPO_ROOT } from '../src/cli/node-inputs.ts';
import { checkoutRevision, type Checkout } from './checkout.ts';
import { startBrowser, measureBrowser, type ServedBrowser } from './browser.ts';
import { measureCli, measureEngine, measureFloor, type Kind, type Measurement } from './measure.ts';
import { scaleReport, summary, type ScaleResult } from './report.ts';
import { ENGINES, type EngineKind } from './run-one.ts';
import { parseVariants } from './variants.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const KINDS: string[] = ['floor', 'cli', ...ENGINES];

async function ensureData(scale: string): Promise<string> {
  const shared = `/work/data/scale${scale}`;
  if (existsSync(path.join(shared, 'source_crm'))) return shared;
  const dir = path.join(HERE, '.data', `scale${scale}`);
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

function gitState(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src', 'models'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    return `git ${head}${dirty ? ` + ${dirty.split('\n').length} uncommitted files in src/ or models/` : ''}`;
  } catch {
    return 'no git';
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      scales: { type: 'string', default: '1,10,100' },
      runs: { type: 'string' },
      engines: { type: 'string', default: 'floor,cli' },
      browser: { type: 'boolean', default: false },
      variant: { type: 'string' },
      'timeout-min': { type: 'string', default: '60' },
      json: { type: 'string', default: path.join(HERE, '.data', 'results.json') },
      from: { type: 'string' },
    },
  });
  if (values.from) {
    const saved = JSON.parse(await readFile(values.from, 'utf8')) as { date: string; code: string; load?: string; results: ScaleResult[] };
    console.log(`saved results of ${saved.date}; ${saved.code}`);
    for (const s of saved.results) console.log(`\n${scaleReport(s)}\n`);
    console.log(summary(saved.results));
    return;
  }
  const scales = values.scales.split(',').map((s) => s.trim()).filter(Boolean);
  const kinds = values.engines.split(',').map((s) => s.trim()) as Kind[];
  for (const k of kinds) if (!KINDS.includes(k) && !k.startsWith('cli@')) throw new Error(`unknown engine ${k}; known: ${KINDS.join(', ')}, cli@<rev>`);
  // Other revisions' command lines, checked out beside this one for the run.
  const checkouts = new Map<Kind, Checkout>();
  for (const k of kinds.filter((x) => x.startsWith('cli@'))) checkouts.set(k, await checkoutRevision(k.slice(4)));
  for (const s of scales) if (!(Number(s) > 0)) throw new Error(`bad scale ${s}`);
  const variant = parseVariants(values.variant).join(',') || undefined;
  const timeoutMs = Number(values['timeout-min']) * 60_000;
  const code = gitState();
  console.log(`bench: ${new Date().toISOString()}, node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB; ${code}`);
  if (variant) console.log(`runner engines with VARIANT ${variant}`);

  let browser: ServedBrowser | undefined;
  if (values.browser) browser = await startBrowser();
  const results: ScaleResult[] = [];
  try {
    for (const scale of scales) {
      const dir = await ensureData(scale);
      const files = await expandInputs([dir]);
      const sizes = await Promise.all(files.map(async (f) => (await stat(f)).size));
      const lines = await Promise.all(files.map(countLines));
      const result: ScaleResult = {
        scale, dir, files: files.length, inputBytes: sizes.reduce((a, b) => a + b, 0), inputLines: lines.reduce((a, b) => a + b, 0), measurements: [],
      };
      results.push(result);
      const runs = Number(values.runs ?? (Number(scale) >= 100 ? 1 : 3));
      for (let run = 1; run <= runs; run++) {
        const order: Kind[] = [...kinds, ...(browser ? ['browser' as const] : [])];
        for (const kind of order) {
          const m: Measurement = kind === 'floor' ? await measureFloor(dir, run, timeoutMs)
            : kind === 'cli' ? await measureCli(dir, run, timeoutMs)
              : checkouts.has(kind) ? await measureCli(dir, run, timeoutMs, { kind, root: checkouts.get(kind)!.root })
              : kind === 'browser' ? await measureBrowser(browser!, dir, run)
                : await measureEngine(kind as EngineKind, dir, run, timeoutMs, variant);
          result.measurements.push(m);
          const done = m.ok ? `${((m.totalMs ?? 0) / 1000).toFixed(2)} s wall, ${((m.cpuMs ?? 0) / 1000).toFixed(2)} s CPU` : `FAILED: ${m.error}`;
          console.error(`scale ${scale} run ${run}/${runs} ${kind}: ${done} (load ${m.load[1].toFixed(1)})`);
        }
      }
      console.log(`\n${scaleReport(result)}\n`);
    }
  } finally {
    await browser?.close();
    for (const c of checkouts.values()) await c.remove();
  }
  if (results.length > 1) console.log(summary(results));
  await mkdir(path.dirname(values.json), { recursive: true });
  await writeFile(values.json, JSON.stringify({ date: new Date().toISOString(), code, results }, null, 1));
  console.log(`\nraw results: ${path.relative(process.cwd(), values.json)}`);
}

main().catch((e) => {
  console.error(`bench: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
