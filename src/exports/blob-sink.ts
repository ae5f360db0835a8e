/**
 * Collects a file made piece by piece into a Blob. Pieces are folded into Blob parts
 * every few megabytes: the browser keeps Blob data outside the JavaScript heap (and
 * pages large ones to disk), so only the last few megabytes sit in memory.
 */
const PART_BYTES = 8 * 1024 * 1024;

export class BlobSink {
  readonly #parts: Blob[] = [];
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;
  /** Bytes collected so far. */
  size = 0;

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.length;
    this.size += chunk.length;
    if (this.#pendingBytes >= PART_BYTES) this.#fold();
  }

  /** The whole file. */
  finish(type: string): Blob {
    this.#fold();
    return new Blob(this.#parts, { type });
  }

  #fold(): void {
    if (this.#pending.length === 0) return;
    this.#parts.push(new Blob(this.#pending as BlobPart[]));
    this.#pending = [];
    this.#pendingBytes = 0;
  }
}

/** Collects all pieces of a file into a Blob. */
export async function collectBlob(chunks: AsyncIterable<Uint8Array>, type: string): Promise<Blob> {
  const sink = new BlobSink();
  for await (const chunk of chunks) sink.push(chunk);
  return sink.finish(type);
}
