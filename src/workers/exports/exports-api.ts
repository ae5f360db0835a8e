/**
 * The worker's download calls: any table (filtered, ordered as shown) as CSV or
 * Parquet, the Power BI package as a ZIP, the KPI workbook, or one file of the
 * package. Everything is built on demand from the current tables, streamed in
 * batches, with progress and cancelling; the result is a Blob (kept out of the heap).
 */
import parquetWasm from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url';
import { exportFileName, type ExportFormat } from '../../pipeline/exports.ts';
import type { RunReport } from '../../pipeline/types.ts';
import type { WasmEngine } from '../../duckdb/wasm-engine.ts';
import { BlobSink } from '../../exports/blob-sink.ts';
import { EXPORT_TYPES } from '../../exports/file-types.ts';
import { manifestJson, type ManifestFile } from '../../exports/manifest.ts';
import {
  manifestFiles, MANIFEST_NAME, packageZipName, planPackage, readmeText, README_NAME, WORKBOOK_NAME, writePackage,
  type PackageOptions,
} from '../../exports/package.ts';
import { initParquet } from '../../exports/parquet-writer.ts';
import { Pacer, type ExportProgress } from '../../exports/progress.ts';
import { countRows, describeTable, exportQuery, tableBytes, type TableQuery } from '../../exports/table-export.ts';
import { kpiWorkbook } from '../../exports/xlsx.ts';
import { ZipWriter } from '../../exports/zip-writer.ts';
import { onNewResults, withEngine } from '../engine-access.ts';
import { runJob, type Job } from '../jobs.ts';
import { SHIPPED_MODELS } from '../../shared/shipped-models.ts';

export type { ExportProgress } from '../../exports/progress.ts';
export type { ManifestFile as PackageEntry } from '../../exports/manifest.ts';

/** A table download: which table, which rows, which order, which format. */
export interface TableExportRequest extends TableQuery {
  format: ExportFormat;
  /** CSV with text exactly as stored (formula-like values not neutralised): for loaders. */
  csvRaw?: boolean;
  /** Names the job, to cancel it with `jobs.cancel`. */
  jobId?: string;
}

export interface ExportedFile {
  name: string;
  blob: Blob;
}

type OnProgress = (progress: ExportProgress) => void;

/** The run the current tables came from: set by each run, or by the UI after a restore. */
let currentReport: RunReport | undefined;
onNewResults((report) => {
  currentReport = report;
});

/** Runs one export as a job holding the engine; a cancel that came while it waited still counts. */
function exportJob<T>(jobId: string | undefined, label: string, work: (e: WasmEngine, job: Job) => Promise<T>): Promise<T> {
  return runJob({ id: jobId, kind: 'export', label }, (job) => withEngine((e) => work(e, job)));
}

async function ready(format: ExportFormat): Promise<void> {
  if (format === 'parquet') await initParquet(parquetWasm);
}

function packageOptions(format: ExportFormat, report: RunReport | undefined, job?: Job, onProgress?: OnProgress, csvRaw = false): PackageOptions {
  // The worker knows which run built its tables; the page's report serves when it does not (a fresh worker).
  const run = currentReport ?? report;
  if (!run) throw new Error('the run these tables came from is not known; run the pipeline again');
  return { format, csvRaw, report: run, models: SHIPPED_MODELS, isCancelled: () => job?.cancelled ?? false, onProgress };
}

async function tableFile(e: WasmEngine, job: Job, req: TableExportRequest, onProgress?: OnProgress): Promise<ExportedFile> {
  await ready(req.format);
  const shape = await describeTable(e, req.table);
  const query = exportQuery(shape, req);
  const totalRows = await countRows(e, query);
  const name = exportFileName(req.table, req.format);
  const pacer = new Pacer({ isCancelled: () => job.cancelled, onProgress });
  const sink = new BlobSink();
  let rows = 0;
  const progress = () => ({ file: name, rows, totalRows, doneRows: rows, allRows: totalRows, bytes: sink.size });
  for await (const chunk of tableBytes(e, query, req.format, async (n) => {
    rows += n;
    await pacer.tick(progress);
  }, { raw: req.csvRaw })) sink.push(chunk);
  await pacer.tick(progress, true);
  return { name, blob: sink.finish(EXPORT_TYPES[req.format]) };
}

export const exportsApi = {
  /**
   * The files of the Power BI package for the current tables (names in CSV form).
   * Pass the report of the results just loaded (after a restore), so run.json can describe it.
   */
  async packageFiles(report?: RunReport): Promise<ManifestFile[]> {
    if (report) currentReport = report;
    return withEngine(async (e) => manifestFiles(await planPackage(e, 'csv', SHIPPED_MODELS)));
  },

  /**
   * One file of the package by name: `fact_sales.csv`, `kpi_overview.parquet`, README.txt,
   * run.json, kpis.xlsx. `format` is the one README.txt and run.json describe (default: csv);
   * `csvRaw` writes CSV text as stored (and README.txt and run.json say so).
   */
  async packageFile(
    name: string, options: { report?: RunReport; jobId?: string; format?: ExportFormat; csvRaw?: boolean } = {}, onProgress?: OnProgress,
  ): Promise<Blob> {
    const { report, jobId, csvRaw = false } = options;
    return exportJob(jobId, name, async (e, job) => {
      const format: ExportFormat = name.endsWith('.parquet') ? 'parquet' : name.endsWith('.csv') ? 'csv' : (options.format ?? 'csv');
      await ready(format);
      const tables = await planPackage(e, format, SHIPPED_MODELS);
      if (name === README_NAME) return new Blob([readmeText(packageOptions(format, report, undefined, undefined, csvRaw), tables)], { type: EXPORT_TYPES.txt });
      if (name === MANIFEST_NAME) {
        const opts = packageOptions(format, report);
        return new Blob([manifestJson(opts.report, format, manifestFiles(tables), csvRaw)], { type: EXPORT_TYPES.json });
      }
      if (name === WORKBOOK_NAME) return kpiWorkbook(e, tables.filter((t) => t.table.startsWith('kpi.')));
      const table = tables.find((t) => t.file === name);
      if (!table) throw new Error(`the package has no file ${name}`);
      return (await tableFile(e, job, { table: table.table, format, csvRaw }, onProgress)).blob;
    });
  },

  /** A table of the current results, filtered and ordered as requested, as CSV or Parquet. */
  async table(req: TableExportRequest, onProgress?: OnProgress): Promise<ExportedFile> {
    return exportJob(req.jobId, `${req.table} (${req.format})`, (e, job) => tableFile(e, job, req, onProgress));
  },

  /** The whole Power BI package as one ZIP, streamed into a Blob. */
  async packageZip(req: { format: ExportFormat; report?: RunReport; jobId?: string; csvRaw?: boolean }, onProgress?: OnProgress): Promise<ExportedFile> {
    return exportJob(req.jobId, `Power BI package (${req.format})`, async (e, job) => {
      await ready(req.format);
      const opts = packageOptions(req.format, req.report, job, onProgress, req.csvRaw === true);
      const sink = new BlobSink();
      const zip = new ZipWriter((chunk) => sink.push(chunk), new Date(opts.report.startedAt));
      await writePackage(e, opts, async (name, chunks, compress) => {
        await zip.add(name, chunks, compress);
      });
      await zip.finish();
      return { name: packageZipName(req.format), blob: sink.finish(EXPORT_TYPES.zip) };
    });
  },

  /** The KPI tables as one Excel workbook. */
  async kpiWorkbook(jobId?: string): Promise<ExportedFile> {
    return exportJob(jobId, 'KPI workbook', async (e) => {
      const tables = await planPackage(e, 'csv', SHIPPED_MODELS);
      return { name: WORKBOOK_NAME, blob: await kpiWorkbook(e, tables.filter((t) => t.table.startsWith('kpi.'))) };
    });
  },
};
