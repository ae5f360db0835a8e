/**
 * Memory/time probe for a pipeline run, statement by statement (an investigation
 * tool, not part of `npm run bench`):
 *
 *   tsx bench/probe.ts --engine wasm|native|native-mt --scale N [--runs K]
 *        [--setup "<sql>"] [--variant drop-bronze] [--model-slice-rows N]
 *
 * Every statement the runner sends is timed and followed by a look at DuckDB's
 * memory (duckdb_memory(): in-memory tables vs. the rest) and, on DuckDB-WASM, the
 * size of the WebAssembly memory (it only grows: its value is the high-water mark).
 * Statements under 50 ms are not printed. --variant: see variants.ts. --model-slice-rows: source
 * rows per statement of the models built in slices (src/pipeline/model-slices.ts; 0: one piece).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { expandInputs, inspectPath, loadModelFiles } from '../src/cli/node-inputs.ts';
import type { Row, SqlEngine, SqlValue } from '../src/duckdb/sql-engine.ts';
import { CSV_COPY_OPTIONS } from '../src/pipeline/exports.ts';
import { runPipeline } from '../src/pipeline/runner.ts';
import { quoteLiteral } from '../src/sql/quote.ts';
import { BENCH_RUN_DATE, dataDir, openEngine, wasmHeapBytes, type EngineKind } from './run-one.ts';
import { parseVariants, VariantEngine } from './variants.ts';

const MiB = 1024 * 1024;
const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/** What a statement is, in one line: validation checks are told apart by their predicate. */
function label(sql: string): string {
  const flat = sql.replace(/\s+/g, ' ').trim();
  const check = /^select count\(\*\) over \(\)::integer as _violations, s\._source_line .*? from (bronze\.\w+) s where (.*?) order by s\._source_line/.exec(flat);
  if (check) return `check ${check[1]}: ${check[2]}`.slice(0, 110);
  return flat.slice(0, 110);
}

class ProbeEngine implements SqlEngine {
  constructor(readonly inner: VariantEngine) {}

  private async memory(): Promise<string> {
    const rows = await this.inner.query<{ tables: number; other: number }>(
      `select coalesce(sum(memory_usage_bytes) filter (where tag = 'IN_MEMORY_TABLE'), 0)::double as tables,
              coalesce(sum(memory_usage_bytes) filter (where tag <> 'IN_MEMORY_TABLE'), 0)::double as other
       from duckdb_memory()`,
    );
    const heap = wasmHeapBytes(this.inner.inner);
    const { tables, other } = rows[0];
    return `tables ${(tables / MiB).toFixed(0).padStart(5)} MiB, other ${(other / MiB).toFixed(0).padStart(4)} MiB` +
      `${heap ? `, wasm heap ${(heap / MiB).toFixed(0).padStart(5)} MiB` : ''}, rss ${(process.memoryUsage().rss / MiB).toFixed(0).padStart(5)} MiB`;
  }

  private async timed<T>(kind: string, sql: string, work: () => Promise<T>): Promise<T> {
    const text = label(sql);
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    try {
      const out = await work();
      const ms = performance.now() - t0;
      const c = process.cpuUsage(c0);
      const cpu = (c.user + c.system) / 1e6;
      if (ms > 50 || /^(create table|attach|detach|copy|drop)/i.test(text)) {
        console.log(`${(ms / 1000).toFixed(2).padStart(7)} s ${cpu.toFixed(2).padStart(6)} cpu  ${kind.padEnd(5)} ${text.padEnd(110)}  ${await this.memory()}`);
      }
      return out;
    } catch (e) {
      console.log(`FAILED after ${((performance.now() - t0) / 1000).toFixed(2)} s: ${kind} ${text}\n  ${(e as Error).message.split('\n')[0]}\n  at failure: ${await this.memory().catch(() => '?')}`);
      throw e;
    }
  }

  async exec(sql: string): Promise<void> {
    for (const s of this.inner.before(sql)) await this.timed('exec', s, () => this.inner.inner.exec(s));
    return this.timed('exec', sql, () => this.inner.inner.exec(this.inner.rewrite(sql)));
  }

  async execOne(sql: string): Promise<void> {
    for (const s of this.inner.before(sql)) await this.timed('exec', s, () => this.inner.inner.exec(s));
    return this.timed('exec', sql, () => this.inner.inner.execOne(sql));
  }

  async query<T extends Row = Row>(sql: string, params?: SqlValue[]): Promise<T[]> {
    return this.timed('query', sql, () => this.inner.query<T>(sql, params));
  }

  async copyToBytes(select: string, options: string): Promise<Uint8Array> {
    return this.timed('copy', select, () => this.inner.copyToBytes(select, options));
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      engine: { type: 'string', default: 'wasm' },
      scale: { type: 'string' },
      data: { type: 'string' },
      runs: { type: 'string', default: '1' },
      setup: { type: 'string' },
      variant: { type: 'string' },
      'model-slice-rows': { type: 'string' },
    },
  });
  const dir = path.resolve(values.data ?? dataDir(values.scale ?? '1'));
  const variants = parseVariants(values.variant);
  const inner = await openEngine(values.engine as EngineKind);
  if (values.setup) await inner.exec(values.setup);
  const engine = new ProbeEngine(new VariantEngine(inner, variants));
  const [info] = await inner.query("select current_setting('memory_limit')::varchar as memory_limit, current_setting('threads')::varchar as threads");
  console.log(`engine ${values.engine}, data ${dir}, memory_limit ${info.memory_limit}, threads ${info.threads}, setup: ${values.setup ?? '-'}, variants: ${variants.join(',') || '-'}, model slices: ${values['model-slice-rows'] ?? 'default'}`);
  const models = await loadModelFiles();
  const inputs = await Promise.all((await expandInputs([dir])).map((f) => inspectPath(f)));
  for (let run = 1; run <= Number(values.runs); run++) {
    const out = await mkdtemp(path.join(tmpdir(), 'bench-probe-'));
    // Each task's process CPU, from its start to its end (what happens between statements too: slice files, progress).
    const taskCpu = new Map<string, [number, number?]>();
    const report = await runPipeline({
      engine, models, inputs, runDate: BENCH_RUN_DATE,
      modelSliceRows: values['model-slice-rows'] === undefined ? undefined : Number(values['model-slice-rows']),
      onProgress: (r) => {
        for (const t of r.tasks) {
          const seen = taskCpu.get(t.id);
          if (t.state === 'running' && !seen) taskCpu.set(t.id, [cpuSeconds()]);
          else if (t.state !== 'running' && seen && seen[1] === undefined) seen[1] = cpuSeconds();
        }
      },
      exporter: async (file, sql) => {
        await sql.exec(`copy (select * from ${file.table}) to ${quoteLiteral(path.join(out, file.name))} (${CSV_COPY_OPTIONS})`);
        return 0;
      },
    });
    await rm(out, { recursive: true, force: true });
    console.log(`run ${run}: ${report.state} in ${((report.durationMs ?? 0) / 1000).toFixed(2)} s${report.error ? `: ${report.error}` : ''}`);
    for (const t of report.tasks) {
      const [from, to] = taskCpu.get(t.id) ?? [];
      const cpu = from !== undefined && to !== undefined ? `${(to - from).toFixed(2).padStart(7)} cpu` : '';
      console.log(`  ${t.id.padEnd(20)} ${t.state.padEnd(15)} ${((t.durationMs ?? 0) / 1000).toFixed(2).padStart(7)} s ${cpu}`);
    }
    const heap = wasmHeapBytes(inner);
    if (heap) console.log(`  peak wasm heap ${(heap / MiB).toFixed(0)} MiB`);
    if (report.state !== 'success') break;
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
