/**
 * npm run pipeline -- --input <dir or files> --out <dir>
 * Runs the same models on the same DuckDB-WASM engine as the browser, writes the
 * Power BI exports and run.json, and exits non-zero with a one-line reason on failure.
 */
import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CSV_COPY_OPTIONS } from '../pipeline/exports.ts';
import { quoteLiteral } from '../pipeline/sql-quote.ts';
import type { RunReport, TaskState } from '../pipeline/types.ts';
import { runPipeline } from '../pipeline/runner.ts';
import { openNodeEngine } from './duckdb-node.ts';
import { expandInputs, inspectPath, loadModelFiles } from './node-inputs.ts';

const USAGE = 'usage: npm run pipeline -- --input <dir or file> [--input ...] --out <dir> [--run-date yyyy-mm-dd]';

function fail(message: string, code = 1): never {
  console.error(`pipeline: ${message.split('\n')[0]}`);
  process.exit(code);
}

async function main() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        input: { type: 'string', multiple: true },
        out: { type: 'string' },
        'run-date': { type: 'string' },
        help: { type: 'boolean' },
      },
      allowPositionals: false,
    }));
  } catch (e) {
    fail(`${(e as Error).message}; ${USAGE}`, 2);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (!values.input?.length || !values.out) fail(USAGE, 2);
  const files = await expandInputs(values.input).catch((e: Error) => fail(`cannot read input: ${e.message}`, 2));
  const out = path.resolve(values.out);
  await mkdir(out, { recursive: true });

  const [engine, models, inputs] = await Promise.all([
    openNodeEngine(),
    loadModelFiles(),
    Promise.all(files.map((f) => inspectPath(f))),
  ]);
  const printed = new Map<string, TaskState>();
  const report = await runPipeline({
    engine,
    models,
    inputs,
    runDate: values['run-date'],
    onProgress: (r) => printChanges(r, printed),
    exporter: async (file, sql) => {
      const target = path.join(out, file.name);
      await sql.exec(`copy (select * from ${file.table}) to ${quoteLiteral(target)} (${CSV_COPY_OPTIONS})`);
      return (await stat(target)).size;
    },
  });
  await writeFile(path.join(out, 'run.json'), JSON.stringify(report, null, 2));
  for (const f of report.findings) console.log(`  ${f.severity === 'error' ? 'ERROR' : 'warn '} ${f.message}`);
  if (report.state !== 'success') fail(report.error ?? report.state);
  console.log(`success in ${((report.durationMs ?? 0) / 1000).toFixed(1)} s; ${report.exports.length} files and run.json in ${out}`);
}

function printChanges(report: RunReport, printed: Map<string, TaskState>) {
  for (const t of report.tasks) {
    if (printed.get(t.id) === t.state) continue;
    printed.set(t.id, t.state);
    if (t.state === 'queued') continue;
    const time = t.durationMs !== undefined ? ` ${(t.durationMs / 1000).toFixed(2)} s` : '';
    const rows = t.rows !== undefined && t.state === 'success' ? `, ${t.rows} rows` : '';
    console.log(`${t.id.padEnd(20)} ${t.state}${time}${rows}`);
  }
}

main().catch((e) => fail(e instanceof Error ? e.message : String(e)));
