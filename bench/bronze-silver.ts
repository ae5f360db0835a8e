/**
 * The contract checks and the silver models of two revisions, timed side by side on one
 * bronze (an investigation tool, not part of `npm run bench`):
 *
 *   tsx bench/bronze-silver.ts --data <dir> [--base main] [--engine wasm|native] [--rounds 3]
 *        [--only <part of a check or model name>,...] [--try silver.crm_sales_details=<file.sql>,...]
 *        [--skip checks|silver]
 *
 * Runs the pipeline once up to silver (no export), then runs each contract check's query as the
 * base revision compiles it (validate.ts of a `git worktree` of --base) and as the working tree
 * does, alternately, `--rounds` times; then the whole validation of each side, whose findings
 * (counts, samples, lines, messages) must be equal; then builds each silver model of the base, of
 * the working tree and of any --try file alternately into the run's (compressed) catalog. Prints
 * the process CPU seconds of each and whether the results equal the base's: a check's count and
 * sample rows; a silver table's column types and every row in table order.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { expandInputs, inspectPath, loadModelFiles } from '../src/cli/node-inputs.ts';
import { runPipeline } from '../src/pipeline/runner.ts';
import type { SqlEngine } from '../src/duckdb/sql-engine.ts';
import { quoteIdent } from '../src/sql/quote.ts';
import { checkoutRevision, fileAt, modelIdOf } from './checkout.ts';
import { BENCH_RUN_DATE, openEngine, type EngineKind } from './run-one.ts';

type Validate = typeof import('../src/pipeline/validate.ts');
type Contracts = typeof import('../src/pipeline/contracts.ts');

const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (xs: number[]) => `${xs.map((x) => x.toFixed(2)).join('/')} (${median(xs).toFixed(2)})`;
const json = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));

/** The query validate.ts runs for one compiled check (the same text on both sides). */
function checkQuery(source: string, c: { columns: string[]; predicate: string }): string {
  const select = c.columns.map((col) => `s.${quoteIdent(col)}::varchar as ${quoteIdent(col)}`).join(', ');
  return `select count(*) over ()::integer as _violations, s._source_line as line, ${select}
    from bronze.${source} s where ${c.predicate} order by s._source_line limit 5`;
}

async function timed(fn: () => Promise<unknown>): Promise<[number, unknown]> {
  const c0 = cpuSeconds();
  const result = await fn();
  return [cpuSeconds() - c0, result];
}

function printRow(name: string, side: string, cpu: number[], base: number[] | undefined, same: boolean) {
  const ratio = base ? (median(cpu) / median(base)).toFixed(2) : '-';
  console.log(`${name.padEnd(58)} ${side.padEnd(5)} ${fmt(cpu).padStart(26)} ${ratio.padStart(6)}  ${same ? 'yes' : 'NO'}`);
}

async function compareChecks(engine: SqlEngine, base: [Validate, Contracts], now: [Validate, Contracts], rounds: number, only?: string[]) {
  console.log(`${'check'.padEnd(58)} ${'side'.padEnd(5)} ${'CPU s each round (median)'.padStart(26)} ÷ base  same`);
  const [baseValidate, baseContracts] = base;
  const [nowValidate, nowContracts] = now;
  for (const source of Object.keys(nowContracts.CONTRACTS) as (keyof typeof nowContracts.CONTRACTS)[]) {
    const checks = nowContracts.CONTRACTS[source];
    for (let i = 0; i < checks.length; i++) {
      const nowCompiled = nowValidate.compileCheck(source, checks[i]);
      const baseCheck = baseContracts.CONTRACTS[source][i];
      const baseCompiled = baseCheck && baseValidate.compileCheck(source, baseCheck);
      if (!nowCompiled || !baseCompiled) continue;
      const name = `${source}.${nowCompiled.name}`;
      if (only && !only.some((o) => name.includes(o))) continue;
      const sides: [string, string][] = [['base', checkQuery(source, baseCompiled)], ['now', checkQuery(source, nowCompiled)]];
      const cpu: Record<string, number[]> = { base: [], now: [] };
      const rows: Record<string, string> = {};
      for (let round = 0; round < rounds; round++) {
        for (const [side, sql] of round % 2 ? [...sides].reverse() : sides) {
          const [s, result] = await timed(() => engine.query(sql));
          cpu[side].push(s);
          rows[side] ??= json(result);
        }
      }
      for (const [side] of sides) printRow(name, side, cpu[side], cpu.base, rows[side] === rows.base);
    }
  }
}

async function compareValidation(engine: SqlEngine, base: Validate, now: Validate, rounds: number, sources: { id: never; file: string }[]) {
  const sides: [string, Validate][] = [['base', base], ['now', now]];
  const cpu: Record<string, number[]> = { base: [], now: [] };
  const found: Record<string, string> = {};
  for (let round = 0; round < rounds; round++) {
    for (const [side, module] of round % 2 ? [...sides].reverse() : sides) {
      const [s, result] = await timed(() => module.validateSources(engine, sources));
      cpu[side].push(s);
      found[side] ??= json(result);
    }
  }
  for (const [side] of sides) printRow('validate_data: every check, findings', side, cpu[side], cpu.base, found[side] === found.base);
}

/** Column types and every row in table order, equal to the reference table's. */
async function sameTable(engine: SqlEngine, a: string, b: string): Promise<boolean> {
  const types = async (t: string) => json(await engine.query(`select column_name, column_type from (describe ${t})`));
  if ((await types(a)) !== (await types(b))) return false;
  const [{ n, differ }] = await engine.query<{ n: number; differ: number }>(
    `select (select count(*) from ${a})::integer - (select count(*) from ${b})::integer as n,
      count(*)::integer as differ
     from (select ${a.split('.').pop()} as x from ${a}) positional join (select ${b.split('.').pop()} as y from ${b})
     where x is distinct from y`,
  );
  return n === 0 && differ === 0;
}

async function compareSilver(engine: SqlEngine, baseRev: string, rounds: number, tries: [string, string][], only?: string[]) {
  const models = (await loadModelFiles()).filter((m) => m.path.startsWith('models/silver/'));
  await engine.exec('create schema if not exists scratch');
  console.log(`${'silver model'.padEnd(58)} ${'side'.padEnd(5)} ${'CPU s each round (median)'.padStart(26)} ÷ base  same`);
  for (const m of models) {
    const id = modelIdOf(m.path);
    if (only && !only.some((o) => id.includes(o))) continue;
    const base = fileAt(baseRev, m.path);
    const candidates = tries.filter(([model]) => model === id).map(([, file], i) => [`try${i + 1}`, readFileSync(file, 'utf8')]);
    const sides = [...(base === undefined ? [] : [['base', base]]), ['now', m.sql], ...candidates];
    const cpu: Record<string, number[]> = Object.fromEntries(sides.map(([side]) => [side, []]));
    const same: Record<string, boolean> = {};
    for (let round = 0; round < rounds; round++) {
      for (const [side, sql] of round % 2 ? [...sides].reverse() : sides) {
        const table = `scratch.${side}_side`;
        await engine.exec('select 1');
        const [s] = await timed(() => engine.exec(`create table ${table} as ${sql}`));
        cpu[side].push(s);
        // dropped right away (round 0: once compared), so no build pays for freeing another's blocks
        if (round > 0) await engine.exec(`drop table ${table}`);
      }
      if (round === 0) {
        for (const [side] of sides) same[side] = await sameTable(engine, `scratch.${sides[0][0]}_side`, `scratch.${side}_side`);
        for (const [side] of sides) await engine.exec(`drop table scratch.${side}_side`);
      }
    }
    for (const [side] of sides) printRow(id, side, cpu[side], cpu.base, same[side]);
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      base: { type: 'string', default: 'main' },
      engine: { type: 'string', default: 'wasm' },
      rounds: { type: 'string', default: '3' },
      only: { type: 'string' },
      try: { type: 'string' },
      skip: { type: 'string', default: '' },
    },
  });
  if (!values.data) throw new Error('--data <dir> is required');
  const rounds = Number(values.rounds);
  const only = values.only?.split(',');
  const tries = (values.try ? values.try.split(',') : []).map((t) => t.split('=') as [string, string]);
  const checkout = await checkoutRevision(values.base);
  try {
    const baseValidate = (await import(path.join(checkout.root, 'src/pipeline/validate.ts'))) as Validate;
    const baseContracts = (await import(path.join(checkout.root, 'src/pipeline/contracts.ts'))) as Contracts;
    const nowValidate = await import('../src/pipeline/validate.ts');
    const nowContracts = await import('../src/pipeline/contracts.ts');
    const engine = await openEngine(values.engine as EngineKind);
    const inputs = await Promise.all((await expandInputs([path.resolve(values.data)])).map((f) => inspectPath(f)));
    const models = (await loadModelFiles()).filter((m) => m.path.startsWith('models/silver/'));
    const report = await runPipeline({ engine, models, inputs, runDate: BENCH_RUN_DATE });
    if (report.state !== 'success') throw new Error(`the run to silver failed: ${report.error}`);
    await engine.exec(`set variable run_date = date '${BENCH_RUN_DATE}'`);
    console.log(`engine ${values.engine}, data ${values.data}, base ${values.base} vs working tree, ${rounds} rounds`);
    if (!values.skip.includes('checks')) {
      await compareChecks(engine, [baseValidate, baseContracts], [nowValidate, nowContracts], rounds, only);
      const sources = Object.keys(nowContracts.CONTRACTS).map((id) => ({ id: id as never, file: id }));
      if (!only) await compareValidation(engine, baseValidate, nowValidate, rounds, sources);
    }
    if (!values.skip.includes('silver')) await compareSilver(engine, values.base, rounds, tries, only);
  } finally {
    await checkout.remove();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
