/**
 * Reading dropped files in the worker: inspection, UTF-8 content, rows and record lines.
 * A workbook, Parquet file or ZIP archive is first turned into its parts (src/formats/), each
 * read like a CSV file; converted parts are kept for a while, so the run that follows the
 * inspection does not convert them again.
 */
import { HEAD_BYTES, inspectHead, type FileInspection } from '../../pipeline/csv-inspect.ts';
import { countRecords } from '../../pipeline/record-lines.ts';
import { SLICE_RECORDS, type SliceCut } from '../../pipeline/slices.ts';
import { toUtf8Stream } from '../../pipeline/transcode.ts';
import { fileSha256 } from '../../shared/file-digest.ts';
import { blobStore } from '../../formats/csv-sink.ts';
import { FormatError } from '../../formats/format-error.ts';
import { keepRecognised, PART_SEPARATOR, sourceFormat, sourceParts, type SourcePart } from '../../formats/source-file.ts';
import { errorText } from '../../shared/error-text.ts';

export interface InspectedFile extends FileInspection {
  /** Data rows (records after the header), counted by streaming the file. */
  rows: number;
  /** The sheet or archive entry this is (`Sheet1`, `crm/sales.csv › Sheet1`); none for a plain file. */
  part?: string;
}

/** What one chosen file holds: one part for a CSV or Parquet file, a part per sheet or entry otherwise. */
export interface InspectedUpload {
  parts: InspectedFile[];
  /** Sheets or entries left out, in words. */
  notes: string[];
}

export interface ReadInput {
  inspected: InspectedFile;
  utf8: Blob;
  lines: Int32Array | null;
  /** Where each slice of a large file after the first starts (none: loaded in one piece). */
  cuts: SliceCut[];
}

/** Inspects a delimited text file (or a text entry of an archive) and reads it once through. */
export async function readInput(file: Blob, name = fileName(file)): Promise<ReadInput> {
  const head = new Uint8Array(await file.slice(0, HEAD_BYTES).arrayBuffer());
  const inspection = inspectHead(name, file.size, head);
  const utf8 = inspection.encoding === 'utf-8' ? file : await new Response(toUtf8Stream(file.stream(), inspection.encoding)).blob();
  const { dataRows, lines, cuts } = inspection.problem ? { dataRows: 0, lines: null, cuts: [] } : await countRecords(utf8.stream(), SLICE_RECORDS);
  return { inspected: { ...inspection, rows: dataRows }, utf8, lines, cuts };
}

function fileName(file: Blob): string {
  return file instanceof File ? file.webkitRelativePath || file.name : 'input';
}

/** A sheet or Parquet table, already UTF-8 CSV with its rows and lines. */
async function readTable(part: SourcePart<Blob>): Promise<ReadInput> {
  const head = new Uint8Array(await part.made.slice(0, HEAD_BYTES).arrayBuffer());
  const inspection = inspectHead(part.name, part.made.size, head);
  // Converted sheets and tables load in one piece: their converter does not note slice starts.
  return { inspected: { ...inspection, rows: part.rows ?? 0 }, utf8: part.made, lines: part.lines ?? null, cuts: [] };
}

/** The whole file refused: one part that says why. */
function refused(name: string, size: number, problem: string): ReadInput {
  const inspected: InspectedFile = { name, size, encoding: 'utf-8', hasBom: false, delimiter: ',', header: [], columns: [], rows: 0, problem };
  return { inspected, utf8: new Blob([]), lines: null, cuts: [] };
}

async function readContainer(file: File): Promise<{ parts: ReadInput[]; notes: string[] }> {
  const name = fileName(file);
  try {
    const converted = await sourceParts(name, file, blobStore);
    const read = await Promise.all(converted.parts.map((p) => (p.kind === 'table' ? readTable(p) : readInput(p.made, p.name))));
    const parts = read.map((r) => ({ ...r, inspection: r.inspected }));
    const { kept, notes, problem } = keepRecognised(name, parts);
    if (problem) return { parts: [refused(name, file.size, problem)], notes: converted.notes };
    for (const k of kept) {
      if (k.inspected.name !== name) k.inspected.part = k.inspected.name.slice(name.length + PART_SEPARATOR.length);
    }
    return { parts: kept, notes: [...converted.notes, ...notes] };
  } catch (e) {
    return { parts: [refused(name, file.size, e instanceof FormatError ? e.message : `${name} could not be read: ${errorText(e)}`)], notes: [] };
  }
}

/** Converted files by name, size and date: the last few, so inspection and run convert once. */
const converted = new Map<string, Promise<{ parts: ReadInput[]; notes: string[] }>>();
const KEEP_CONVERTED = 8;

/** Every part of a chosen file, read; plain text files are read afresh each time. */
export async function readUpload(file: File): Promise<{ parts: ReadInput[]; notes: string[] }> {
  if (sourceFormat(file.name) === 'csv' || !sourceFormat(file.name)) return { parts: [await readInput(file)], notes: [] };
  const key = `${fileName(file)}|${file.size}|${file.lastModified}`;
  let found = converted.get(key);
  if (found) converted.delete(key);
  else found = readContainer(file);
  converted.set(key, found);
  while (converted.size > KEEP_CONVERTED) converted.delete(converted.keys().next().value!);
  return found;
}

/** SHA-256 of a file, hex, of any size (streamed when large; computed once per file). */
export async function sha256(file: Blob): Promise<string | undefined> {
  return fileSha256(file);
}
