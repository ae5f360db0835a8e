/**
 * Finds the physical line on which each CSV record starts, so messages and
 * `_source_line` point at the right line even when a quoted value spans lines or
 * blank lines are skipped. Fed chunk by chunk (files can be larger than memory).
 * In the usual file record n starts on line n + 1 and no map is kept at all.
 */
export class RecordLineCounter {
  private line = 1;
  private inQuotes = false;
  private lineHasContent = false;
  private lineStartsRecord = true;
  /** Data records seen so far (the header is record 0). */
  private records = 0;
  private headerSeen = false;
  private map: number[] | null = null;
  private readonly quote: number;

  constructor(quote = '"') {
    this.quote = quote.charCodeAt(0);
  }

  push(chunk: Uint8Array): void {
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      if (byte === 10) {
        this.endLine();
        continue;
      }
      if (byte === this.quote) this.inQuotes = !this.inQuotes;
      if (byte !== 13) this.lineHasContent = true;
    }
  }

  /** Data rows and, only when some record does not start on line n + 1, the line of each. */
  finish(): { dataRows: number; lines: Int32Array | null } {
    if (this.lineHasContent) this.endLine();
    return { dataRows: this.records, lines: this.map ? Int32Array.from(this.map) : null };
  }

  private endLine(): void {
    if (this.lineStartsRecord && this.lineHasContent) this.startRecord(this.line);
    // A line ending inside quotes continues the same record on the next line.
    this.lineStartsRecord = !this.inQuotes;
    if (this.inQuotes) this.lineHasContent = true;
    else this.lineHasContent = false;
    this.line++;
  }

  private startRecord(line: number): void {
    if (!this.headerSeen) {
      this.headerSeen = true;
      if (line === 1) return;
      this.map = [];
      return;
    }
    this.records++;
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

/** Runs the counter over a whole (UTF-8) stream. */
export async function countRecords(stream: ReadableStream<Uint8Array>): Promise<{ dataRows: number; lines: Int32Array | null }> {
  const counter = new RecordLineCounter();
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    counter.push(value);
  }
  return counter.finish();
}
