/**
 * Finds the physical line on which each CSV record starts, so messages and
 * `_source_line` point at the right line even when a quoted value spans lines or
 * blank lines are skipped. Fed chunk by chunk (files can be larger than memory).
 * In the usual file record n starts on line n + 1 and no map is kept at all.
 * Given a slice size, it also notes the byte offset of every slice's first record,
 * so a large file can be loaded a slice at a time (slices.ts).
 */
import type { SliceCut } from './slices.ts';

export interface RecordCount {
  dataRows: number;
  /** Only when some record does not start on line n + 1: the line of each. */
  lines: Int32Array | null;
  /** Where each slice after the first starts; empty when the file is one slice. */
  cuts: SliceCut[];
}

export class RecordLineCounter {
  private line = 1;
  private inQuotes = false;
  private lineHasContent = false;
  private lineStartsRecord = true;
  /** Data records seen so far (the header is record 0). */
  private records = 0;
  private headerLine = 0;
  private map: number[] | null = null;
  private readonly quote: number;
  /** Bytes before the current chunk. */
  private offset = 0;
  /** Where the line that starts the current record begins, and the rows DuckDB counts before it. */
  private recordStart = 0;
  private rowsBeforeRecord = 0;
  /** Line ends outside quotes so far: DuckDB's row count in its error messages (blank lines included). */
  private rowsEnded = 0;
  private readonly cuts: SliceCut[] = [];

  /** @param sliceRecords records per slice; 0 keeps the file whole. */
  constructor(quote = '"', private readonly sliceRecords = 0) {
    this.quote = quote.charCodeAt(0);
  }

  push(chunk: Uint8Array): void {
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      if (byte === 10) {
        this.endLine(this.offset + i + 1);
        continue;
      }
      if (byte === this.quote) this.inQuotes = !this.inQuotes;
      if (byte !== 13) this.lineHasContent = true;
    }
    this.offset += chunk.length;
  }

  finish(): RecordCount {
    if (this.lineHasContent) this.endLine(this.offset);
    return { dataRows: this.records, lines: this.map ? Int32Array.from(this.map) : null, cuts: this.cuts };
  }

  /** `next`: the byte offset where the next line starts. */
  private endLine(next: number): void {
    if (this.lineStartsRecord && this.lineHasContent) this.startRecord(this.line);
    if (!this.inQuotes) this.rowsEnded++;
    // A line ending inside quotes continues the same record on the next line.
    this.lineStartsRecord = !this.inQuotes;
    if (this.inQuotes) this.lineHasContent = true;
    else {
      this.lineHasContent = false;
      this.recordStart = next;
      this.rowsBeforeRecord = this.rowsEnded;
    }
    this.line++;
  }

  private startRecord(line: number): void {
    if (!this.headerLine) {
      this.headerLine = line;
      if (line === 1) return;
      this.map = [];
      return;
    }
    this.records++;
    // Cut only where the header is on line 1: how DuckDB counts blank lines above a header is not ours to guess.
    if (this.sliceRecords > 0 && this.headerLine === 1 && this.records > 1 && (this.records - 1) % this.sliceRecords === 0) {
      this.cuts.push({ offset: this.recordStart, recordsBefore: this.records - 1, rowsBefore: this.rowsBeforeRecord });
    }
    if (this.map === null && line !== this.records + 1) {
      this.map = Array.from({ length: this.records - 1 }, (_, i) => i + 2);
    }
    this.map?.push(line);
  }
}

/** The map as a one-column text file DuckDB can read beside the data (positional join). */
export function lineMapText(lines: Int32Array): string {
  return lines.join('\n') + '\n';
}

/**
 * Runs the counter over a whole (UTF-8) stream; `sliceRecords` > 0 also finds where slices start.
 * `alsoSee` is shown every chunk too, so another pass over the same bytes (a digest) needs no read of its own.
 */
export async function countRecords(stream: ReadableStream<Uint8Array>, sliceRecords = 0, alsoSee?: (chunk: Uint8Array) => void): Promise<RecordCount> {
  const counter = new RecordLineCounter('"', sliceRecords);
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    counter.push(value);
    alsoSee?.(value);
  }
  return counter.finish();
}
