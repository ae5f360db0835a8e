/**
 * Native DuckDB result chunks as Apache Arrow record batches, with the Arrow types
 * DuckDB-WASM gives for the same query (VARCHAR → Utf8, DATE → Date32 days, TIMESTAMP →
 * microseconds, DECIMAL and HUGEINT → Decimal128, nullable fields, no metadata), so the
 * export writers and the row conversion see the same data from either engine. Reads the
 * chunk's raw buffers: values are copied once, text goes across as bytes.
 */
import bindings from '@duckdb/node-bindings';
import { DuckDBDecimalType, DuckDBTypeId, DuckDBVector, type DuckDBDataChunk, type DuckDBType } from '@duckdb/node-api';
import {
  Bool, DateDay, Decimal, Field, Float32, Float64, Int16, Int32, Int64, Int8, makeData, RecordBatch, Schema, Struct,
  TimestampMicrosecond, TimestampMillisecond, TimestampNanosecond, TimestampSecond, Uint16, Uint32, Uint64, Uint8, Utf8,
  type Data, type DataType,
} from 'apache-arrow';

type Vector = ReturnType<typeof bindings.data_chunk_get_vector>;

/** How one column is read: its Arrow type and the reader of its vector. */
interface ColumnReader {
  type: DataType;
  read(vector: Vector, rows: number): Data;
}

const textEncoder = new TextEncoder();

/** The Arrow schema and the readers for a result's columns. */
export class ChunkConverter {
  readonly schema: Schema;
  readonly #readers: ColumnReader[];

  constructor(names: string[], types: DuckDBType[]) {
    this.#readers = types.map((t) => columnReader(t));
    this.schema = new Schema(names.map((name, i) => new Field(name, this.#readers[i].type, true)));
  }

  /** One chunk as one record batch. */
  toBatch(chunk: DuckDBDataChunk): RecordBatch {
    const rows = chunk.rowCount;
    const children = this.#readers.map((reader, i) => reader.read(bindings.data_chunk_get_vector(chunk.chunk, i), rows));
    const data = makeData({ type: new Struct(this.schema.fields), length: rows, nullCount: 0, children });
    return new RecordBatch(this.schema, data);
  }
}

function columnReader(type: DuckDBType): ColumnReader {
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN: return { type: new Bool(), read: readBool };
    case DuckDBTypeId.TINYINT: return fixed(new Int8(), 1, Int8Array);
    case DuckDBTypeId.SMALLINT: return fixed(new Int16(), 2, Int16Array);
    case DuckDBTypeId.INTEGER: return fixed(new Int32(), 4, Int32Array);
    case DuckDBTypeId.BIGINT: return fixed(new Int64(), 8, BigInt64Array);
    case DuckDBTypeId.UTINYINT: return fixed(new Uint8(), 1, Uint8Array);
    case DuckDBTypeId.USMALLINT: return fixed(new Uint16(), 2, Uint16Array);
    case DuckDBTypeId.UINTEGER: return fixed(new Uint32(), 4, Uint32Array);
    case DuckDBTypeId.UBIGINT: return fixed(new Uint64(), 8, BigUint64Array);
    case DuckDBTypeId.FLOAT: return fixed(new Float32(), 4, Float32Array);
    case DuckDBTypeId.DOUBLE: return fixed(new Float64(), 8, Float64Array);
    case DuckDBTypeId.DATE: return fixed(new DateDay(), 4, Int32Array);
    case DuckDBTypeId.TIMESTAMP: return fixed(new TimestampMicrosecond(), 8, BigInt64Array);
    case DuckDBTypeId.TIMESTAMP_S: return fixed(new TimestampSecond(), 8, BigInt64Array);
    case DuckDBTypeId.TIMESTAMP_MS: return fixed(new TimestampMillisecond(), 8, BigInt64Array);
    case DuckDBTypeId.TIMESTAMP_NS: return fixed(new TimestampNanosecond(), 8, BigInt64Array);
    case DuckDBTypeId.VARCHAR: return { type: new Utf8(), read: readText };
    case DuckDBTypeId.HUGEINT: return decimal(38, 0, 16);
    case DuckDBTypeId.DECIMAL: {
      const { width, scale } = type as DuckDBDecimalType;
      return decimal(width, scale, width <= 4 ? 2 : width <= 9 ? 4 : width <= 18 ? 8 : 16);
    }
    // Lists, structs, intervals, blobs, enums, times: DuckDB's own text of each value.
    default: return { type: new Utf8(), read: readAsText };
  }
}

type TypedArrayConstructor = { new (buffer: ArrayBuffer): ArrayLike<unknown> };

/** Fixed-width values, copied out of the chunk (which DuckDB frees afterwards). */
function fixed(type: DataType, width: number, Typed: TypedArrayConstructor): ColumnReader {
  return {
    type,
    read(vector, rows) {
      const bytes = bindings.vector_get_data(vector, rows * width).slice();
      const { nullBitmap, nullCount } = validity(vector, rows);
      return makeData({ type, length: rows, nullCount, nullBitmap, data: new Typed(bytes.buffer) } as never);
    },
  };
}

/** DECIMAL (stored as 16, 32, 64 or 128-bit integers) and HUGEINT: 128-bit little-endian unscaled values. */
function decimal(precision: number, scale: number, width: number): ColumnReader {
  const type = new Decimal(scale, precision, 128);
  return {
    type,
    read(vector, rows) {
      const raw = bindings.vector_get_data(vector, rows * width);
      const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
      const out = new Uint32Array(rows * 4);
      const wide = new DataView(out.buffer);
      for (let i = 0; i < rows; i++) {
        if (width === 16) {
          wide.setBigUint64(i * 16, view.getBigUint64(i * 16, true), true);
          wide.setBigInt64(i * 16 + 8, view.getBigInt64(i * 16 + 8, true), true);
          continue;
        }
        const value = width === 8 ? view.getBigInt64(i * 8, true) : BigInt(width === 4 ? view.getInt32(i * 4, true) : view.getInt16(i * 2, true));
        wide.setBigInt64(i * 16, value, true);
        wide.setBigInt64(i * 16 + 8, value < 0n ? -1n : 0n, true);
      }
      const { nullBitmap, nullCount } = validity(vector, rows);
      return makeData({ type, length: rows, nullCount, nullBitmap, data: out });
    },
  };
}

/** BOOLEAN: one byte per value in DuckDB, one bit in Arrow. */
function readBool(vector: Vector, rows: number): Data {
  const raw = bindings.vector_get_data(vector, rows);
  const bits = new Uint8Array(Math.ceil(rows / 8));
  for (let i = 0; i < rows; i++) if (raw[i]) bits[i >> 3] |= 1 << (i & 7);
  const { nullBitmap, nullCount } = validity(vector, rows);
  return makeData({ type: new Bool(), length: rows, nullCount, nullBitmap, data: bits });
}

/**
 * VARCHAR: each value is a 16-byte `duckdb_string_t` (length, then up to 12 bytes inline or
 * a 4-byte prefix and a pointer); the bytes go into one buffer with Arrow's offsets.
 */
function readText(vector: Vector, rows: number): Data {
  const raw = bindings.vector_get_data(vector, rows * 16);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const { nullBitmap, nullCount, valid } = validity(vector, rows);
  const offsets = new Int32Array(rows + 1);
  for (let i = 0; i < rows; i++) offsets[i + 1] = offsets[i] + (valid(i) ? view.getUint32(i * 16, true) : 0);
  const values = new Uint8Array(offsets[rows]);
  for (let i = 0; i < rows; i++) {
    const length = offsets[i + 1] - offsets[i];
    if (length === 0) continue;
    const at = raw.byteOffset + i * 16;
    const bytes = length <= 12
      ? new Uint8Array(raw.buffer, at + 4, length)
      : bindings.get_data_from_pointer(raw.buffer as ArrayBuffer, at + 8, length);
    values.set(bytes, offsets[i]);
  }
  return makeData({ type: new Utf8(), length: rows, nullCount, nullBitmap, valueOffsets: offsets, data: values });
}

/** Any other type, as the text node-api gives for its value. */
function readAsText(vector: Vector, rows: number): Data {
  const values = DuckDBVector.create(vector, rows);
  const parts: Uint8Array[] = [];
  const offsets = new Int32Array(rows + 1);
  const bitmap = new Uint8Array(Math.ceil(rows / 8));
  let nullCount = 0;
  for (let i = 0; i < rows; i++) {
    const item = values.getItem(i);
    if (item === null) nullCount++;
    else bitmap[i >> 3] |= 1 << (i & 7);
    const bytes = item === null ? new Uint8Array(0) : textEncoder.encode(String(item));
    parts.push(bytes);
    offsets[i + 1] = offsets[i] + bytes.length;
  }
  const data = new Uint8Array(offsets[rows]);
  parts.forEach((p, i) => data.set(p, offsets[i]));
  return makeData({ type: new Utf8(), length: rows, nullCount, nullBitmap: nullCount ? bitmap : undefined, valueOffsets: offsets, data });
}

/**
 * DuckDB's validity mask is 64-bit words of little-endian bits, the same bit order as an
 * Arrow null bitmap; no mask means no nulls.
 */
function validity(vector: Vector, rows: number): { nullBitmap?: Uint8Array; nullCount: number; valid: (i: number) => boolean } {
  const words = Math.ceil(rows / 64);
  const mask = bindings.vector_get_validity(vector, words * 8);
  if (!mask) return { nullCount: 0, valid: () => true };
  const bitmap = mask.slice(0, Math.ceil(rows / 8));
  let nullCount = 0;
  for (let i = 0; i < rows; i++) if (!(bitmap[i >> 3] & (1 << (i & 7)))) nullCount++;
  if (nullCount === 0) return { nullCount: 0, valid: () => true };
  return { nullBitmap: bitmap, nullCount, valid: (i) => (bitmap[i >> 3] & (1 << (i & 7))) !== 0 };
}
