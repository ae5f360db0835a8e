/**
 * Reading dropped files in the worker: inspection, UTF-8 content, rows and record lines.
 * A workbook, Parquet file or ZIP archive is first turned into its parts (src/formats/), each
 * read like a CSV file. The read made for an inspection is kept for a while under an id
 * the page passes back with the run, so the run reads, converts, counts and hashes nothing
 * again: a plain UTF-8 file's SHA-256 is taken in the same pass that counts its records.
 */
import { HEAD_BYTES, inspectHead, type FileInspection } from '../../pipeline/csv-inspect.ts';
import { countRecords } from '../../pipeline/record-lines.ts';
import { SLICE_RECORDS, type SliceCut } from '../../pipeline/slices.ts';
import { toUtf8Stream } from '../../pipeline/transcode.ts';
import { fileSha256, sha256Stream } from '../../shared/file-digest.ts';
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
  /** The id this read is kept under for a while: a run given it (`RunInput.readId`) reads nothing again. */
  readId: string;
}

export interface ReadInput {
  inspected: InspectedFile;
  utf8: Blob;
  lines: Int32Array | null;
  /** Where each slice of a large file after the first starts (none: loaded in one piece). */
  cuts: SliceCut[];
  /** The file's SHA-256, when the pass that counted its records could take it too. */
  sha256?: string;
}

/**
 * Inspects a delimited text file (or a text entry of an archive) and reads it once through;
 * with `digestToo`, a file already in UTF-8 is hashed in the same pass.
 */
export async function readInput(file: Blob, name = fileName(file), digestToo = false): Promise<ReadInput> {
  const head = new Uint8Array(await file.slice(0, HEAD_BYTES).arrayBuffer());
  const inspection = inspectHead(name, file.size, head);
  const utf8 = inspection.encoding === 'utf-8' ? file : await new Response(toUtf8Stream(file.stream(), inspection.encoding)).blob();
  if (inspection.problem) return { inspected: { ...inspection, rows: 0 }, utf8, lines: null, cuts: [] };
  const hash = digestToo && utf8 === file ? await sha256Stream() : undefined;
  const { dataRows, lines, cuts } = await countRecords(utf8.stream(), SLICE_RECORDS, hash?.update);
  return { inspected: { ...inspection, rows: dataRows }, utf8, lines, cuts, sha256: hash?.hex() };
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

interface Upload {
  parts: ReadInput[];
  notes: string[];
}

/** A file as its name, size and date say: what a kept read must match. */
function fileKey(file: File): string {
  return `${fileName(file)}|${file.size}|${file.lastModified}`;
}

/** Converted files by name, size and date: the last few, so a run given no read id converts once too. */
const converted = new Map<string, Promise<Upload>>();
const KEEP_CONVERTED = 8;

/** Every part of a chosen file, read; a plain text file is read afresh (and hashed in the same pass). */
async function readUpload(file: File): Promise<Upload> {
  if (sourceFormat(file.name) === 'csv' || !sourceFormat(file.name)) return { parts: [await readInput(file, fileName(file), true)], notes: [] };
  const key = fileKey(file);
  let found = converted.get(key);
  if (found) converted.delete(key);
  else found = readContainer(file);
  converted.set(key, found);
  while (converted.size > KEEP_CONVERTED) converted.delete(converted.keys().next().value!);
  return found;
}

/** The reads made for inspections, by id: the last few (a set of sources is six files). */
const kept = new Map<string, { fileKey: string; upload: Promise<Upload> }>();
const KEEP_READS = 12;
let readCount = 0;

/** Reads a chosen file for its inspection and keeps the read under a new id. */
export function inspectUpload(file: File): { readId: string; upload: Promise<Upload> } {
  const readId = `read-${++readCount}`;
  const upload = readUpload(file);
  kept.set(readId, { fileKey: fileKey(file), upload });
  upload.catch(() => kept.delete(readId));
  while (kept.size > KEEP_READS) kept.delete(kept.keys().next().value!);
  return { readId, upload };
}

/** The kept read `readId` if it is of this very file (same name, size and date). */
function keptRead(file: File, readId: string | undefined): Promise<Upload> | undefined {
  const found = readId === undefined ? undefined : kept.get(readId);
  return found?.fileKey === fileKey(file) ? found.upload : undefined;
}

/**
 * The id of a kept read of `file`: `readId` when it still names one, else a read started
 * now. A run takes one per file before it starts, so the history's checksum and the
 * run's inputs come from one pass over the file even when the inspection's read is gone.
 */
export function keptReadId(file: File, readId?: string): string {
  return keptRead(file, readId) ? readId! : inspectUpload(file).readId;
}

/** Every part of a chosen file: the inspection's read when `readId` names one of this file, else read now. */
export function uploadFor(file: File, readId?: string): Promise<Upload> {
  return keptRead(file, readId) ?? readUpload(file);
}

/** SHA-256 of a chosen file, hex: from the inspection's read when it took it, else computed (once per Blob). */
export async function sha256(file: File, readId?: string): Promise<string | undefined> {
  const read = await keptRead(file, readId)?.catch(() => undefined);
  const digest = read?.parts.length === 1 ? read.parts[0].sha256 : undefined;
  return digest ?? fileSha256(file);
}
