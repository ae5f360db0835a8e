/**
 * Downloads of a console result as it arrived (query order): CSV made here from the
 * Arrow table by the app's CSV encoder, Parquet through the app's Parquet writer (parquet-wasm, loaded from
 * our own origin on first use).
 */
import { Table, tableToIPC } from 'apache-arrow';
import { saveBlob } from '../download.ts';
import { csvParts } from './result-table.ts';

/** Record batches handed to the Parquet writer at a time (DuckDB's are about 2,048 rows). */
const BATCHES_PER_STEP = 32;

/** `raw`: text as stored, formula-like values included (src/exports/csv-writer.ts). */
export function downloadCsv(table: Table, name: string, raw = false): void {
  saveBlob(new Blob(csvParts(table, { raw }) as BlobPart[], { type: 'text/csv' }), `${name}.csv`);
}

export async function downloadParquet(table: Table, name: string): Promise<void> {
  const [{ initParquet, parquetChunks }, { default: wasm }] = await Promise.all([
    import('../../exports/parquet-writer.ts'),
    import('parquet-wasm/esm/parquet_wasm_bg.wasm?url'),
  ]);
  await initParquet(wasm);
  let next = 0;
  const nextIpc = () => {
    if (next >= table.batches.length && !(next === 0 && table.batches.length === 0)) return null;
    // An empty result still needs its schema written once.
    const batches = table.batches.slice(next, next + BATCHES_PER_STEP);
    next += Math.max(1, batches.length);
    return tableToIPC(batches.length ? new Table(batches) : table, 'stream');
  };
  const parts: Uint8Array[] = [];
  for await (const chunk of parquetChunks(nextIpc)) parts.push(chunk);
  saveBlob(new Blob(parts as BlobPart[], { type: 'application/vnd.apache.parquet' }), `${name}.parquet`);
}
