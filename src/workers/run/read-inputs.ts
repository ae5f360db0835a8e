/** Reading dropped files in the worker: inspection, UTF-8 content, rows and record lines. */
import { HEAD_BYTES, inspectHead, type FileInspection } from '../../pipeline/csv-inspect.ts';
import { countRecords } from '../../pipeline/record-lines.ts';
import { toUtf8Stream } from '../../pipeline/transcode.ts';

export interface InspectedFile extends FileInspection {
  /** Data rows (records after the header), counted by streaming the file. */
  rows: number;
}

/** Inspects a file and reads it once through. */
export async function readInput(file: File): Promise<{ inspected: InspectedFile; utf8: Blob; lines: Int32Array | null }> {
  const head = new Uint8Array(await file.slice(0, HEAD_BYTES).arrayBuffer());
  const inspection = inspectHead(file.webkitRelativePath || file.name, file.size, head);
  const utf8 = inspection.encoding === 'utf-8' ? file : await new Response(toUtf8Stream(file.stream(), inspection.encoding)).blob();
  const { dataRows, lines } = inspection.problem ? { dataRows: 0, lines: null } : await countRecords(utf8.stream());
  return { inspected: { ...inspection, rows: dataRows }, utf8, lines };
}

/** SHA-256 of a file, hex; skipped for very large inputs (it reads the whole file). */
export async function sha256(file: Blob): Promise<string | undefined> {
  if (file.size > 256 * 1024 * 1024) return undefined;
  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
