/**
 * Source files as people receive them, turned into the parts the pipeline reads: each sheet of
 * an .xlsx workbook, a .parquet file, and every supported file inside a .zip archive (folders
 * ignored, entries inflated one by one). Sheets and Parquet become UTF-8 CSV; delimited text
 * from an archive stays as it was, to be inspected and transcoded like any CSV file. Each part
 * is named for findings as `sales.xlsx › Sheet1` or `export.zip › crm/sales_details.csv`.
 * Shared by the worker (parts are Blobs) and the CLI (temporary files).
 */
import type { FileInspection } from '../pipeline/csv-inspect.ts';
import type { PartStore } from './csv-sink.ts';
import { FormatError } from './format-error.ts';
import { parquetToCsv } from './parquet-table.ts';
import { openWorkbook } from './xlsx-workbook.ts';
import { sheetToCsv } from './xlsx-sheet.ts';
import { ZipArchive } from './zip-archive.ts';

export type SourceFormat = 'csv' | 'xlsx' | 'parquet' | 'zip';

/** The file names the pipeline reads, by extension. */
export const SOURCE_FILE_NAME = /\.(csv|tsv|txt|xlsx|parquet|zip)$/i;

/** Between a file and its part in names: `sales.xlsx › Sheet1`. */
export const PART_SEPARATOR = ' › ';

export function sourceFormat(name: string): SourceFormat | undefined {
  const ext = name.match(SOURCE_FILE_NAME)?.[1].toLowerCase();
  if (!ext) return undefined;
  return ext === 'tsv' || ext === 'txt' ? 'csv' : (ext as SourceFormat);
}

/** Files a folder or archive may hold that are not data: Excel's lock files, macOS metadata, dot files. */
export function isClutter(path: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return path.startsWith('__MACOSX/') || base.startsWith('.') || base.startsWith('~$');
}

export interface SourcePart<T> {
  /** The name findings use. */
  name: string;
  /** `text`: delimited text as it was (any encoding); `table`: UTF-8 CSV made from a sheet or Parquet. */
  kind: 'text' | 'table';
  made: T;
  rows?: number;
  /** For tables: the line of each record, when not record + 1. */
  lines?: Int32Array | null;
}

export interface SourceParts<T> {
  parts: SourcePart<T>[];
  /** What was left out, in words. */
  notes: string[];
}

/** Converts a workbook, Parquet file or archive; a bad file throws a FormatError naming it. */
export async function sourceParts<T>(name: string, blob: Blob, store: PartStore<T>): Promise<SourceParts<T>> {
  const format = sourceFormat(name);
  if (format === 'xlsx') return workbookParts(name, blob, store);
  if (format === 'parquet') {
    const table = await parquetToCsv(name, blob, store.sink());
    return { parts: [{ name, kind: 'table', ...table }], notes: [] };
  }
  if (format === 'zip') return archiveParts(name, blob, store);
  throw new FormatError(`${name} is not a file the pipeline reads`);
}

async function workbookParts<T>(name: string, blob: Blob, store: PartStore<T>): Promise<SourceParts<T>> {
  const wb = await openWorkbook(name, blob);
  const out: SourceParts<T> = { parts: [], notes: [] };
  for (const sheet of wb.sheets) {
    const table = await sheetToCsv(wb, sheet, store.sink());
    if (table) out.parts.push({ name: `${name}${PART_SEPARATOR}${sheet.name}`, kind: 'table', ...table });
    else out.notes.push(`${name}${PART_SEPARATOR}${sheet.name} is empty and was skipped`);
  }
  if (!out.parts.length) throw new FormatError(`${name} has no sheet with data`);
  return out;
}

async function archiveParts<T>(name: string, blob: Blob, store: PartStore<T>): Promise<SourceParts<T>> {
  const zip = await ZipArchive.open(name, blob);
  const out: SourceParts<T> = { parts: [], notes: [] };
  for (const entry of zip.entries) {
    if (entry.name.endsWith('/') || isClutter(entry.name)) continue;
    const entryName = `${name}${PART_SEPARATOR}${entry.name}`;
    const format = sourceFormat(entry.name);
    if (!format) {
      out.notes.push(`${entryName} was skipped: only .csv, .tsv, .txt, .xlsx and .parquet files are read`);
      continue;
    }
    if (format === 'zip') {
      out.notes.push(`${entryName} was skipped: archives inside archives are not opened`);
      continue;
    }
    const sink = store.sink();
    for await (const chunk of zip.read(entry)) await sink.write(chunk);
    const made = await sink.finish();
    if (format === 'csv') out.parts.push({ name: entryName, kind: 'text', made });
    else {
      const inner = await sourceParts(entryName, await store.blob(made), store);
      out.parts.push(...inner.parts);
      out.notes.push(...inner.notes);
    }
  }
  if (!out.parts.length) {
    throw new FormatError(`${name} holds no file the pipeline reads (.csv, .tsv, .txt, .xlsx or .parquet)${out.notes.length ? `: ${out.notes.join('; ')}` : ''}`);
  }
  return out;
}

/**
 * Of a workbook's sheets or an archive's files, those that match no source are left out with a
 * note (a notes sheet, a readme); when none matches, the whole file is refused, naming what it
 * holds. A Parquet or CSV file is one source on its own: it is kept, problem and all.
 */
export function keepRecognised<P extends { inspection: FileInspection }>(
  file: string, parts: P[],
): { kept: P[]; notes: string[]; problem?: string } {
  const format = sourceFormat(file);
  if (format !== 'xlsx' && format !== 'zip') return { kept: parts, notes: [] };
  const kept = parts.filter((p) => p.inspection.source);
  const left = parts.filter((p) => !p.inspection.source).map((p) => p.inspection.problem ?? `${p.inspection.name} matches no source`);
  if (kept.length) return { kept, notes: left.map((p) => `skipped: ${p}`) };
  const what = format === 'xlsx' ? 'no sheet' : 'no file';
  return { kept: [], notes: [], problem: `${file} has ${what} that matches a source: ${left.join('; ')}` };
}
