/** Node side of the exports: the Parquet wasm read from disk, and pieces written to files. */
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { once } from 'node:events';
import { initParquet } from './parquet-writer.ts';

const require = createRequire(import.meta.url);

/** Loads the Parquet writer from node_modules (the same wasm the browser fetches). */
export async function initParquetNode(): Promise<void> {
  await initParquet(await readFile(require.resolve('parquet-wasm/esm/parquet_wasm_bg.wasm')));
}

/** A file written piece by piece, waiting when the disk is slower than the writer. */
export class FileSink {
  readonly #stream;
  bytes = 0;

  constructor(path: string) {
    this.#stream = createWriteStream(path);
  }

  async write(chunk: Uint8Array): Promise<void> {
    this.bytes += chunk.length;
    if (!this.#stream.write(chunk)) await once(this.#stream, 'drain');
  }

  async close(): Promise<void> {
    this.#stream.end();
    await once(this.#stream, 'finish');
  }

  /** Stops writing without finishing (the file is left incomplete; callers remove it). */
  destroy(): void {
    this.#stream.destroy();
  }
}

/** Writes all pieces to a file and returns its size. */
export async function writeChunksToFile(path: string, chunks: AsyncIterable<Uint8Array>): Promise<number> {
  const sink = new FileSink(path);
  try {
    for await (const chunk of chunks) await sink.write(chunk);
    await sink.close();
    return sink.bytes;
  } catch (e) {
    sink.destroy();
    throw e;
  }
}
