/**
 * npm run pipeline -- --input <dir or files> --out <dir> [--format csv|parquet] [--zip] [--csv-raw]
 * Runs the same models on the same DuckDB-WASM engine as the browser, writes the
 * Power BI package (the same files, same names and same writers as the app's
 * download) and run.json, and exits non-zero with a one-line reason on failure. CSV text
 * that a spreadsheet would run as a formula gets a `'` in front unless --csv-raw.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { checkExportTable } from '../exports/checks.ts';
import { manifestJson } from '../exports/manifest.ts';
import { FileSink, initParquetNode, writeChunksToFile } from '../exports/node.ts';
import { MANIFEST_NAME, packageZipName, writePackage, type PackageTarget } from '../exports/package.ts';
import { describeTable, exportQuery, tableBytes } from '../exports/table-export.ts';
import { ZipWriter } from '../exports/zip-writer.ts';
import type { ExportFormat } from '../pipeline/exports.ts';
import type { RunReport, TaskState } from '../pipeline/types.ts';
import { runPipeline } from '../pipeline/runner.ts';
import type { ModelFile } from '../pipeline/dag.ts';
import type { WasmEngine } from '../duckdb/wasm-engine.ts';
import { openNodeEngine } from '../duckdb/wasm-node.ts';
import { expandInputs, inspectPaths, loadModelFiles, registerInputFiles } from './node-inputs.ts';
import { errorText } from '../shared/error-text.ts';

const USAGE = 'usage: npm run pipeline -- --input <dir or file> [--input ...] --out <dir> [--format csv|parquet] [--zip] [--csv-raw] [--run-date yyyy-mm-dd]';

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
  if (values.format !== 'csv' && values.format !== 'parquet') fail(`--format must be csv or parquet; ${USAGE}`, 2);
  const format: ExportFormat = values.format;
  const zip = values.zip === true;
  const csvRaw = values['csv-raw'] === true;
  const files = await expandInputs(values.input).catch((e: Error) => fail(`cannot read input: ${e.message}`, 2));
  const out = path.resolve(values.out);
  await mkdir(out, { recursive: true });

  const [engine, models, inspected] = await Promise.all([
    openNodeEngine(),
    loadModelFiles(),
    inspectPaths(files, (note) => console.log(`  note  ${note}`)),
    format === 'parquet' ? initParquetNode() : undefined,
  ]);
  // The engine is locked: it reads the input files through their registered names only.
  const inputs = registerInputFiles(engine, inspected);
  const printed = new Map<string, TaskState>();
  const report = await runPipeline({
    engine,
    models,
    inputs,
    runDate: values['run-date'],
    exportFormat: format,
    onProgress: (r) => printChanges(r, printed),
    // Each table is checked; without --zip it is also written here, during the task.
    exporter: async (file, sql) => {
      const checked = await checkExportTable(sql, file.table);
      if (zip) return checked;
      const query = exportQuery(await describeTable(engine, file.table), { table: file.table });
      return writeChunksToFile(path.join(out, file.name), tableBytes(engine, query, format, async () => undefined, { raw: csvRaw }));
    },
  });
  for (const f of report.findings) console.log(`  ${f.severity === 'error' ? 'ERROR' : 'warn '} ${f.message}`);
  if (report.state !== 'success') {
    await writeFile(path.join(out, MANIFEST_NAME), manifestJson(report, format, [], csvRaw));
    fail(report.error ?? report.state);
  }
  // README.txt, run.json and kpis.xlsx need the finished run; with --zip, so does the whole package.
  const written = zip ? await writeZip(engine, report, models, format, out, csvRaw) : await writeExtras(engine, report, models, format, out, csvRaw);
  console.log(`success in ${((report.durationMs ?? 0) / 1000).toFixed(1)} s; ${written} in ${out}`);
}

type PackageArgs = [WasmEngine, RunReport, ModelFile[], ExportFormat, string, boolean];

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
