/**
 * npm run pipeline -- --input <dir or files> --out <dir> [--format csv|parquet] [--zip] [--csv-raw]
 *   [--engine native|wasm] [--threads N] [--memory 75%|20GB] [--temp-dir <dir>]
 * npm run pipeline -- --dbt-project <dir>
 * Runs the same models as the browser, on native DuckDB (default) or on DuckDB-WASM,
 * writes the Power BI package (the same files, same names and same writers as the
 * app's download) and run.json, and exits non-zero with a one-line reason on failure.
 * CSV text that a spreadsheet would run as a formula gets a `'` in front unless --csv-raw.
 * --dbt-project writes the models as a dbt project instead (or as well, with --input).
 * --slice-records N: a CSV file of more records loads into bronze N records per committed insert
 * (default SLICE_RECORDS; 0 loads every file in one piece), and a model declared `-- slices:` is
 * built N source rows per statement (default MODEL_SLICE_ROWS); the results are the same either way.
 * Both on DuckDB-WASM only: native DuckDB reads each file whole and builds each model in one piece.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { checkAndDescribe } from '../exports/checks.ts';
import { manifestJson } from '../exports/manifest.ts';
import { FileSink, initParquetNode, writeChunksToFile } from '../exports/node.ts';
import { MANIFEST_NAME, packageZipName, writePackage, type PackageTarget } from '../exports/package.ts';
import { exportQuery, tableBytes } from '../exports/table-export.ts';
import { ZipWriter } from '../exports/zip-writer.ts';
import type { ExportFormat } from '../pipeline/exports.ts';
import type { RunReport, TaskState } from '../pipeline/types.ts';
import { runPipeline } from '../pipeline/runner.ts';
import type { ModelFile } from '../pipeline/dag.ts';
import type { ExportEngine } from '../duckdb/sql-engine.ts';
import { expandInputs, inspectPaths, loadModelFiles } from './node-inputs.ts';
import { openCliEngine, parseEngineArgs, type CliEngine } from './engine-choice.ts';
import { writeDbtProject } from './dbt-project.ts';
import { errorText } from '../shared/error-text.ts';
import { SLICE_RECORDS } from '../pipeline/slices.ts';

const USAGE = 'usage: npm run pipeline -- --input <dir or file> [--input ...] --out <dir> [--format csv|parquet] [--zip] [--csv-raw] ' +
  '[--run-date yyyy-mm-dd] [--engine native|wasm] [--threads N] [--memory 75%|20GB] [--temp-dir <dir>] [--slice-records N] [--dbt-project <dir>]';

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
        format: { type: 'string', default: 'csv' },
        zip: { type: 'boolean', default: false },
        // CSV text exactly as stored (formula-like values not neutralised): for loaders, not spreadsheets.
        'csv-raw': { type: 'boolean', default: false },
        engine: { type: 'string' },
        threads: { type: 'string' },
        memory: { type: 'string' },
        'temp-dir': { type: 'string' },
        'slice-records': { type: 'string' },
        'dbt-project': { type: 'string' },
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
  if (values['dbt-project']) {
    const dir = path.resolve(values['dbt-project']);
    const files = await writeDbtProject(dir, await loadModelFiles(), { runDate: values['run-date'] });
    console.log(`dbt project: ${files} files in ${dir} (see its README.md)`);
    if (!values.input?.length && !values.out) return;
  }
  if (!values.input?.length || !values.out) fail(USAGE, 2);
  if (values.format !== 'csv' && values.format !== 'parquet') fail(`--format must be csv or parquet; ${USAGE}`, 2);
  const engineArgs = parseEngineArgs(values);
  if (typeof engineArgs === 'string') fail(`${engineArgs}; ${USAGE}`, 2);
  const sliceRecords = Number(values['slice-records'] ?? SLICE_RECORDS);
  if (!Number.isInteger(sliceRecords) || sliceRecords < 0) fail(`--slice-records must be a whole number ≥ 0; ${USAGE}`, 2);
  const format: ExportFormat = values.format;
  const zip = values.zip === true;
  const csvRaw = values['csv-raw'] === true;
  const files = await expandInputs(values.input).catch((e: Error) => fail(`cannot read input: ${e.message}`, 2));
  const out = path.resolve(values.out);
  await mkdir(out, { recursive: true });

  const [cli, models, inspected] = await Promise.all([
    openCliEngine(engineArgs, out),
    loadModelFiles(),
    inspectPaths(files, (note) => console.log(`  note  ${note}`), sliceRecords),
    format === 'parquet' ? initParquetNode() : undefined,
  ]);
  try {
    // The engine is locked: it reads the input files through their registered names only.
    const modelSliceRows = cli.modelSliceRows ?? (values['slice-records'] === undefined ? undefined : sliceRecords);
    await run(cli, models, await cli.register(inspected), { format, zip, csvRaw, out, runDate: values['run-date'], modelSliceRows });
  } finally {
    await cli.close();
  }
}

async function run(cli: CliEngine, models: ModelFile[], inputs: Awaited<ReturnType<CliEngine['register']>>, opts: {
  format: ExportFormat; zip: boolean; csvRaw: boolean; out: string; runDate?: string; modelSliceRows?: number;
}) {
  const { engine } = cli;
  const { format, zip, csvRaw, out } = opts;
  console.log(cli.summary);
  const printed = new Map<string, TaskState>();
  const report = await runPipeline({
    engine,
    models,
    inputs,
    runDate: opts.runDate,
    modelSliceRows: opts.modelSliceRows,
    exportFormat: format,
    onProgress: (r) => printChanges(r, printed),
    // Each table is checked; without --zip it is also written here, during the task.
    exporter: async (file, sql) => {
      const { checked, shape } = await checkAndDescribe(sql, file.table);
      if (zip) return checked;
      const query = exportQuery(shape, { table: file.table });
      return writeChunksToFile(path.join(out, file.name), tableBytes(engine, query, format, async () => undefined, { raw: csvRaw }));
    },
  });
  for (const f of report.findings) console.log(`  ${f.severity === 'error' ? 'ERROR' : 'warn '} ${f.message}`);
  if (report.state !== 'success') {
    await writeFile(path.join(out, MANIFEST_NAME), manifestJson(report, format, [], csvRaw));
    throw new RunFailed(cli.explain(report.error ?? report.state));
  }
  // README.txt, run.json and kpis.xlsx need the finished run; with --zip, so does the whole package.
  const written = await (zip ? writeZip : writeExtras)(engine, report, models, format, out, csvRaw).catch((e) => {
    throw new RunFailed(cli.explain(errorText(e)));
  });
  console.log(`success in ${((report.durationMs ?? 0) / 1000).toFixed(1)} s; ${written} in ${out}`);
}

/** A failed run, its reason in words. */
class RunFailed extends Error {}

type PackageArgs = [ExportEngine, RunReport, ModelFile[], ExportFormat, string, boolean];

async function writeExtras(...[engine, report, models, format, out, csvRaw]: PackageArgs): Promise<string> {
  const target: PackageTarget = async (name, chunks) => {
    await writeChunksToFile(path.join(out, name), chunks);
  };
  const tables = await writePackage(engine, { format, csvRaw, report, models }, target, false);
  return `${tables.length} ${format === 'csv' ? 'CSV' : 'Parquet'} files, kpis.xlsx, README.txt and run.json`;
}

async function writeZip(...[engine, report, models, format, out, csvRaw]: PackageArgs): Promise<string> {
  const name = packageZipName(format);
  const sink = new FileSink(path.join(out, name));
  try {
    const archive = new ZipWriter((chunk) => sink.write(chunk), new Date(report.startedAt));
    await writePackage(engine, { format, csvRaw, report, models }, async (file, chunks, compress) => {
      await archive.add(file, chunks, compress);
    });
    await archive.finish();
    await sink.close();
  } catch (e) {
    sink.destroy();
    throw e;
  }
  return name;
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

main().catch((e) => fail(errorText(e)));
