/**
 * The KPI and segmentation models of two revisions, timed side by side on one gold (an
 * investigation tool, not part of `npm run bench`):
 *
 *   tsx bench/kpi-models.ts --data <dir> [--base main] [--engine wasm|native] [--rounds 3]
 *        [--models kpi.sales_by_country,...] [--try kpi.sales_by_country=<file.sql>,...]
 *
 * Runs the pipeline once up to gold (no export), then builds each kpi/segmentation model of
 * the base revision and of the working tree (and any --try candidate) alternately, `--rounds` times, in the same engine,
 * printing the process CPU seconds of each build and whether both sides made the same rows in
 * the same order (`--sides base,now,try1` picks sides). CPU rather than wall: the machine is
 * shared. The wasm heap printed is a high-water mark of the whole process: to see one side's,
 * run that side alone (`--models <id> --sides try1`).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { expandInputs, inspectPath, loadModelFiles } from '../src/cli/node-inputs.ts';
import type { ModelFile } from '../src/pipeline/dag.ts';
import { runPipeline } from '../src/pipeline/runner.ts';
import { fileAt, modelIdOf } from './checkout.ts';
import { BENCH_RUN_DATE, openEngine, wasmHeapBytes, type EngineKind } from './run-one.ts';

const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/** `models/kpi/x.sql` → `kpi.x` */

async function main() {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      base: { type: 'string', default: 'main' },
      engine: { type: 'string', default: 'wasm' },
      rounds: { type: 'string', default: '3' },
      models: { type: 'string' },
      try: { type: 'string' },
      sides: { type: 'string' },
    },
  });
  if (!values.data) throw new Error('--data <dir> is required');
  const models = await loadModelFiles();
  const timed = models.filter((m: ModelFile) => /^models\/(kpi|segmentation)\//.test(m.path))
    .filter((m) => !values.models || values.models.split(',').includes(modelIdOf(m.path)));
  const tries = (values.try ? values.try.split(',') : []).map((t) => t.split('=') as [string, string]);
  const engine = await openEngine(values.engine as EngineKind);
  const inputs = await Promise.all((await expandInputs([path.resolve(values.data)])).map((f) => inspectPath(f)));
  const upstream = models.filter((m) => !/^models\/(kpi|segmentation)\//.test(m.path) && !m.path.startsWith('models/tests/'));
  const report = await runPipeline({ engine, models: upstream, inputs, runDate: BENCH_RUN_DATE });
  if (report.state !== 'success') throw new Error(`the run to gold failed: ${report.error}`);
  const measures = models.find((m) => m.path === 'models/measures.sql');
  if (measures) await engine.exec(measures.sql);
  await engine.exec("attach ':memory:' as scratch; create schema if not exists scratch.s");
  console.log(`engine ${values.engine}, data ${values.data}, base ${values.base} vs working tree, ${values.rounds} rounds`);
  console.log(`${'model'.padEnd(32)} ${'side'.padEnd(5)} ${'CPU s each round (median)'.padStart(26)}  ÷ base    same rows as base`);
  for (const m of timed) {
    const base = fileAt(values.base, m.path);
    const id = modelIdOf(m.path);
    const candidates = tries.filter(([model]) => model === id).map(([, file], i) => [`try${i + 1}`, readFileSync(file, 'utf8')]);
    const all = [...(base === undefined ? [] : [['base', base]]), ['now', m.sql], ...candidates];
    // --sides also sets the order of the first round (the heap printed is a high-water mark)
    const sides = values.sides ? values.sides.split(',').flatMap((name) => all.filter(([side]) => side === name)) : all;
    const cpu: Record<string, number[]> = Object.fromEntries(sides.map(([side]) => [side, []]));
    const rows: Record<string, string> = {};
    const heap: Record<string, number | undefined> = {};
    for (let round = 0; round < Number(values.rounds); round++) {
      for (const [side, sql] of round % 2 ? [...sides].reverse() : sides) {
        await engine.exec('drop table if exists scratch.s.t');
        const c0 = cpuSeconds();
        await engine.exec(`create table scratch.s.t as ${sql}`);
        cpu[side].push(cpuSeconds() - c0);
        heap[side] = wasmHeapBytes(engine);
        if (round === 0) rows[side] = JSON.stringify(await engine.query('from scratch.s.t'), (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const fmt = (xs: number[]) => (xs.length ? `${xs.map((x) => x.toFixed(2)).join('/')} (${median(xs).toFixed(2)})` : '-');
    const reference = rows.base ?? rows.now ?? rows[sides[0][0]];
    for (const [side] of sides) {
      const ratio = cpu.base?.length ? (median(cpu[side]) / median(cpu.base)).toFixed(2) : '-';
      const same = rows[side] === reference ? 'yes' : 'NO';
      const mib = heap[side] === undefined ? '' : `  wasm heap ${(heap[side]! / 2 ** 20).toFixed(0)} MiB`;
      console.log(`${id.padEnd(32)} ${side.padEnd(5)} ${fmt(cpu[side]).padStart(26)}  ${ratio.padStart(8)}  ${same.padEnd(4)}${mib}`);
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
