/**
 * The Power BI package, built from the current tables whenever it is asked for:
 * README.txt, run.json, the star schema, the segments and every KPI table (CSV or
 * Parquet), and kpis.xlsx. The same code writes the ZIP in the browser, and the ZIP
 * or a folder of files from the command line.
 */
import { buildDag, type ModelFile } from '../pipeline/dag.ts';
import type { ExportFormat } from '../pipeline/exports.ts';
import { exportFiles } from '../pipeline/exports.ts';
import type { RunReport } from '../pipeline/types.ts';
import type { ExportEngine } from '../duckdb/sql-engine.ts';
import { manifestJson, type ManifestFile } from './manifest.ts';
import { parseMeasures } from './measures.ts';
import { Pacer, type ExportControl } from './progress.ts';
import { packageReadme } from './readme.ts';
import { countRows, describeTable, exportQuery, tableBytes, type TableShape } from './table-export.ts';
import { kpiWorkbook } from './xlsx.ts';

export const README_NAME = 'README.txt';
export const MANIFEST_NAME = 'run.json';
export const WORKBOOK_NAME = 'kpis.xlsx';

/** The ZIP's file name: the same in the browser and from the command line. */
export function packageZipName(format: ExportFormat): string {
  return `powerbi-${format}.zip`;
}

/** A table file of the package. */
export interface PackageTable extends TableShape {
  file: string;
  rows: number;
  grain?: string;
}

/** Adds one file to wherever the package goes; `compress` is false for compressed formats. */
export type PackageTarget = (name: string, chunks: AsyncIterable<Uint8Array>, compress: boolean) => Promise<void>;

export interface PackageOptions extends ExportControl {
  format: ExportFormat;
  /** CSV with every text value as stored, formula-like ones included (for loaders; ./csv-writer.ts). */
  csvRaw?: boolean;
  /** The run the current tables came from (for run.json and README.txt). */
  report: RunReport;
  /** The models (grain lines) and models/measures.sql. */
  models: ModelFile[];
}

/** The table files of the package, from the tables of the current results. */
export async function planPackage(engine: ExportEngine, format: ExportFormat, models: ModelFile[]): Promise<PackageTable[]> {
  const present = await engine.query<{ id: string }>(
    `select schema_name || '.' || table_name as id from duckdb_tables() where database_name = current_database()`,
  );
  const grains = grainsOf(models);
  const tables: PackageTable[] = [];
  for (const file of exportFiles(present.map((p) => p.id), format)) {
    const shape = await describeTable(engine, file.table);
    const rows = await countRows(engine, exportQuery(shape, { table: file.table }));
    tables.push({ ...shape, file: file.name, rows, grain: grains.get(file.table) });
  }
  return tables;
}

function grainsOf(models: ModelFile[]): Map<string, string> {
  try {
    return new Map(buildDag(models).models.filter((m) => m.grain).map((m) => [m.id, m.grain!]));
  } catch {
    return new Map();
  }
}

/** What each file of the package holds, for run.json. */
export function manifestFiles(tables: PackageTable[]): ManifestFile[] {
  return [
    { name: README_NAME, description: 'the model: tables, keys, relationships, measures' },
    { name: MANIFEST_NAME, description: 'this manifest' },
    ...tables.map((t) => ({
      name: t.file, table: t.table, rows: t.rows, description: t.grain ?? t.table,
      columns: t.columns.map((c) => ({ name: c.name, type: c.exportType })),
    })),
    { name: WORKBOOK_NAME, description: 'the KPI tables as one Excel workbook, a sheet per table' },
  ];
}

/** README.txt's text for these tables. */
export function readmeText(opts: PackageOptions, tables: PackageTable[]): string {
  const measuresFile = opts.models.find((m) => /(^|\/)models\/measures\.sql$/.test(m.path));
  const files = manifestFiles(tables).filter((f) => !f.table);
  return packageReadme({
    format: opts.format,
    csvRaw: opts.csvRaw === true,
    report: opts.report,
    tables,
    measures: measuresFile ? parseMeasures(measuresFile.sql) : [],
    extras: files.map((f) => ({ name: f.name, description: f.description })),
  });
}

/**
 * Writes every file of the package to `target`, reporting rows as it goes. With
 * `withTables` false only README.txt, run.json and kpis.xlsx are written (the command
 * line writes the table files during the run).
 */
export async function writePackage(
  engine: ExportEngine, opts: PackageOptions, target: PackageTarget, withTables = true,
): Promise<PackageTable[]> {
  const tables = await planPackage(engine, opts.format, opts.models);
  const allRows = tables.reduce((sum, t) => sum + t.rows, 0);
  const pacer = new Pacer(opts);
  let doneRows = 0;
  let bytes = 0;
  const text = (value: string) => [new TextEncoder().encode(value)];
  await target(README_NAME, toAsync(text(readmeText(opts, tables))), true);
  await target(MANIFEST_NAME, toAsync(text(manifestJson(opts.report, opts.format, manifestFiles(tables), opts.csvRaw === true))), true);
  for (const table of withTables ? tables : []) {
    let rows = 0;
    const progress = () => ({ file: table.file, rows, totalRows: table.rows, doneRows, allRows, bytes });
    await pacer.tick(progress, true);
    const counted = async function* (chunks: AsyncIterable<Uint8Array>) {
      for await (const chunk of chunks) {
        bytes += chunk.length;
        yield chunk;
      }
    };
    const chunks = tableBytes(engine, exportQuery(table, { table: table.table }), opts.format, async (n) => {
      rows += n;
      doneRows += n;
      await pacer.tick(progress);
    }, { raw: opts.csvRaw });
    await target(table.file, counted(chunks), opts.format === 'csv');
  }
  const workbook = await kpiWorkbook(engine, tables.filter((t) => t.table.startsWith('kpi.')));
  await target(WORKBOOK_NAME, toAsync([new Uint8Array(await workbook.arrayBuffer())]), false);
  return tables;
}

async function* toAsync(chunks: Uint8Array[]): AsyncGenerator<Uint8Array> {
  yield* chunks;
}
