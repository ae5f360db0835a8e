/**
 * Parquet through parquet-wasm (Apache Arrow's Rust writer compiled to wasm): Arrow
 * IPC bytes in, Parquet bytes out, streamed one row group at a time. Types carry
 * over: DATE stays a Parquet DATE, BIGINT INT64, DOUBLE DOUBLE, VARCHAR a UTF-8 string.
 * The wasm is loaded once, from our own origin (browser) or from disk (Node).
 */
import * as parquet from 'parquet-wasm/esm';

/** Rows per row group: large enough for good compression, small enough to stream. */
export const ROW_GROUP_ROWS = 256 * 1024;

let ready: Promise<void> | undefined;

/**
 * Loads the Parquet writer once: pass the wasm's URL (browser) or its bytes (Node).
 * Later calls reuse the first load.
 */
export function initParquet(wasm: string | URL | BufferSource): Promise<void> {
  return (ready ??= (async () => {
    if (typeof wasm === 'string' || wasm instanceof URL) await parquet.default({ module_or_path: wasm });
    else parquet.initSync({ module: wasm });
  })());
}

function writerProperties(): parquet.WriterProperties {
  return new parquet.WriterPropertiesBuilder()
    // Snappy: every Parquet reader has it (Power BI included), and it is fast.
    .setCompression(parquet.Compression.SNAPPY)
    .setMaxRowGroupSize(ROW_GROUP_ROWS)
    .setCreatedBy('Retail Analytics Workbench')
    .build();
}

/**
 * Parquet file bytes, in pieces, from a source of Arrow IPC streams (each one a
 * schema and some batches); `nextIpc` returns null at the end. `onInputRows` hears
 * of the rows taken in (the output comes a row group at a time).
 */
export async function* parquetChunks(
  nextIpc: () => Uint8Array | null | Promise<Uint8Array | null>,
  onInputRows: (rows: number) => void = () => undefined,
): AsyncGenerator<Uint8Array> {
  if (!ready) throw new Error('the Parquet writer is not loaded');
  await ready;
  const input = new ReadableStream<parquet.RecordBatch>({
    async pull(controller) {
      const ipc = await nextIpc();
      if (!ipc) {
        controller.close();
        return;
      }
      const table = parquet.Table.fromIPCStream(ipc);
      for (const batch of table.recordBatches()) {
        onInputRows(batch.numRows);
        controller.enqueue(batch);
      }
      table.free();
    },
  }, { highWaterMark: 0 });
  const output = (await parquet.transformParquetStream(input, writerProperties())) as ReadableStream<Uint8Array>;
  const reader = output.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    // Stopped early (cancelled or failed): release the writer and its input.
    await reader.cancel().catch(() => undefined);
  }
}
