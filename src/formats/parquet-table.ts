/**
 * A Parquet file, streamed to CSV one row group at a time (hyparquet reads the footer and then
 * only that group's column chunks from the Blob). Columns keep their names — the header row is
 * recognised like any CSV header, in any order and case — and values become text as a CSV
 * export would hold them: dates ISO (or yyyymmdd in the sales date columns), decimals exact
 * with their scale, integers whole, floats in their shortest form, booleans true/false.
 */
import { parquetMetadataAsync, parquetRead, parquetSchema, type AsyncBuffer, type FileMetaData, type SchemaElement } from 'hyparquet';
import { decompressBrotli, decompressGzip, decompressLz4, decompressLz4Raw, decompressZstd } from 'hyparquet-compressors';
import { decimalText, floatText, yyyymmddColumns } from './cell-text.ts';
import { CsvWriter, type ByteSink } from './csv-sink.ts';
import { FormatError } from './format-error.ts';
import { hexOf } from '../shared/hex.ts';
import type { ConvertedTable } from './xlsx-sheet.ts';

/** Snappy is built into hyparquet; these cover the other codecs data platforms write. */
const COMPRESSORS = {
  GZIP: decompressGzip,
  BROTLI: decompressBrotli,
  ZSTD: (input: Uint8Array) => decompressZstd(input),
  LZ4: decompressLz4,
  LZ4_RAW: decompressLz4Raw,
};

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** A timestamp in microseconds since 1970 as `yyyy-mm-dd hh:mm:ss[.ffffff]`. */
function stampText(micros: bigint): string {
  const second = micros >= 0n ? micros / 1_000_000n : -((-micros + 999_999n) / 1_000_000n);
  const fraction = Number(micros - second * 1_000_000n);
  const iso = new Date(Number(second) * 1000).toISOString();
  const text = `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
  return fraction ? `${text}.${pad(fraction, 6).replace(/0+$/, '')}` : text;
}

/** Dates and timestamps arrive as text already; everything else as hyparquet decodes it. */
const PARSERS = {
  dateFromDays: (days: number) => new Date(days * 86_400_000).toISOString().slice(0, 10),
  timestampFromMilliseconds: (ms: bigint) => stampText(BigInt(ms) * 1000n),
  timestampFromMicroseconds: (us: bigint) => stampText(BigInt(us)),
  timestampFromNanoseconds: (ns: bigint) => stampText(BigInt(ns) / 1000n),
};

function isDecimal(e: SchemaElement): boolean {
  return e.converted_type === 'DECIMAL' || e.logical_type?.type === 'DECIMAL';
}

function isCalendar(e: SchemaElement): boolean {
  const logical = e.logical_type?.type;
  return e.converted_type === 'DATE' || e.converted_type?.startsWith('TIMESTAMP') === true || logical === 'DATE' || logical === 'TIMESTAMP' || e.type === 'INT96';
}

/** How one column's values become text. */
function columnText(e: SchemaElement, yyyymmdd: boolean): (v: unknown) => string {
  const scale = e.logical_type?.type === 'DECIMAL' ? e.logical_type.scale : (e.scale ?? 0);
  return (v) => {
    if (v === null || v === undefined) return '';
    if (typeof v === 'string') return yyyymmdd && isCalendar(e) ? v.slice(0, 10).replaceAll('-', '') : v;
    if (typeof v === 'number') {
      if (isDecimal(e)) return decimalText(v, scale);
      return e.type === 'FLOAT' ? floatText(v) : String(v);
    }
    if (typeof v === 'bigint' || typeof v === 'boolean') return String(v);
    if (v instanceof Date) return v.toISOString();
    if (v instanceof Uint8Array) return hexOf(v);
    return JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? String(x) : x));
  };
}

/** The Blob as hyparquet's random-access buffer: only the slices it asks for are read. */
function blobBuffer(blob: Blob): AsyncBuffer {
  return { byteLength: blob.size, slice: (start, end) => blob.slice(start, end).arrayBuffer() };
}

/** Reads the footer: a file that is not Parquet, or is encrypted, is refused naming it. */
async function readMetadata(name: string, file: AsyncBuffer): Promise<FileMetaData> {
  if (file.byteLength >= 4) {
    const tail = new Uint8Array(await file.slice(file.byteLength - 4, file.byteLength));
    if (new TextDecoder().decode(tail) === 'PARE') throw new FormatError(`${name} is an encrypted Parquet file; export it without encryption`);
  }
  try {
    return await parquetMetadataAsync(file);
  } catch (e) {
    throw new FormatError(`${name} is not a readable Parquet file (${(e as Error).message}); it may be damaged or truncated`);
  }
}

export async function parquetToCsv<T>(name: string, blob: Blob, sink: ByteSink<T>): Promise<ConvertedTable<T>> {
  const file = blobBuffer(blob);
  const metadata = await readMetadata(name, file);
  const columns = parquetSchema(metadata).children;
  const header = columns.map((c) => c.element.name);
  const dates = yyyymmddColumns(header);
  const texts = columns.map((c, i) => columnText(c.element, dates.has(i)));
  const writer = new CsvWriter(sink, header);
  let rowStart = 0;
  for (const group of metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    let rows: unknown[][] = [];
    try {
      await parquetRead({
        file, metadata, rowStart, rowEnd, rowFormat: 'array', parsers: PARSERS, compressors: COMPRESSORS,
        onComplete: (r) => { rows = r; },
      });
    } catch (e) {
      throw new FormatError(`${name} could not be read from row ${rowStart + 1} (${(e as Error).message}); it may be damaged`);
    }
    for (const row of rows) await writer.row(row.map((v, i) => texts[i](v)), writer.rows + 2);
    rowStart = rowEnd;
  }
  const { made, rows, lines } = await writer.finish();
  return { made, header, rows, lines };
}
