/**
 * Where converted rows go: UTF-8 CSV written in chunks of about 1 MiB to a sink (a Blob being
 * built in the browser, a temporary file in Node), so a sheet or table is never held whole.
 * Also keeps the line of each record when it is not simply record + 1 (rows skipped or a
 * header below row 1 in a sheet), in the form record-lines.ts uses for plain CSV files.
 */
import { csvField } from './cell-text.ts';

/** Receives bytes in order; `finish` returns what was written (a Blob, a file path, ...). */
export interface ByteSink<T> {
  write(chunk: Uint8Array): Promise<void>;
  finish(): Promise<T>;
}

/** Makes one sink per converted part, and opens what a sink made as a Blob (to read it again). */
export interface PartStore<T> {
  sink(): ByteSink<T>;
  blob(made: T): Promise<Blob>;
}

const CHUNK_CHARS = 1024 * 1024;

export class CsvWriter<T> {
  rows = 0;
  #text = '';
  #lines: number[] | null = null;
  readonly #encoder = new TextEncoder();

  constructor(private readonly sink: ByteSink<T>, header: string[]) {
    this.#text = header.map(csvField).join(',') + '\n';
  }

  /** Adds a record that sits on `line` of its source (the header is line 1). */
  async row(fields: string[], line: number): Promise<void> {
    this.rows++;
    if (this.#lines === null && line !== this.rows + 1) this.#lines = Array.from({ length: this.rows - 1 }, (_, i) => i + 2);
    this.#lines?.push(line);
    this.#text += fields.map(csvField).join(',') + '\n';
    if (this.#text.length >= CHUNK_CHARS) await this.flush();
  }

  async flush(): Promise<void> {
    if (!this.#text) return;
    const bytes = this.#encoder.encode(this.#text);
    this.#text = '';
    await this.sink.write(bytes);
  }

  async finish(): Promise<{ made: T; rows: number; lines: Int32Array | null }> {
    await this.flush();
    return { made: await this.sink.finish(), rows: this.rows, lines: this.#lines ? Int32Array.from(this.#lines) : null };
  }
}

/**
 * A Blob built from chunks: every ~16 MiB the pending chunks become part of the Blob, which the
 * browser keeps outside the JavaScript heap (and on disk when large), so the worker holds little.
 */
export function blobSink(type = 'text/csv'): ByteSink<Blob> {
  let blob = new Blob([], { type });
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  const fold = () => {
    blob = new Blob([blob, ...(pending as BlobPart[])], { type });
    pending = [];
    pendingBytes = 0;
  };
  return {
    async write(chunk) {
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes >= 16 * 1024 * 1024) fold();
    },
    async finish() {
      fold();
      return blob;
    },
  };
}

/** The browser's store: parts are Blobs. */
export const blobStore: PartStore<Blob> = { sink: () => blobSink(), blob: async (b) => b };
