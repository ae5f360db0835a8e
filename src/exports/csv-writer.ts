/**
 * CSV from Arrow record batches: UTF-8, a header row, RFC 4180 quoting (a field
 * with a comma, quote or line break is quoted, quotes doubled), `\n` line ends,
 * dates as yyyy-mm-dd, NULL as an empty field and the empty string as `""`.
 * Works on the raw column buffers, so text goes from DuckDB to the file as bytes.
 *
 * Formula injection (OWASP): a spreadsheet runs a cell that begins with `=`, `+`, `-`,
 * `@`, a tab or a carriage return as a formula, so by default such a text value (and
 * column name) is written with a `'` in front, which spreadsheets show as text. Text
 * that is a plain number (`-5`, `+1.5e3`) is left alone, as are number, date and boolean
 * columns. `{ raw: true }` writes every value exactly as stored, for loaders.
 */
import { DateUnit, makeVector, Type, type Data, type Date_, type RecordBatch, type Schema, type Timestamp } from 'apache-arrow';
import { ByteBuffer } from './byte-buffer.ts';

const COMMA = 0x2c;
const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const TAB = 0x09;
const APOSTROPHE = 0x27;
const EQUALS = 0x3d;
const AT = 0x40;
const PLUS = 0x2b;
const MINUS = 0x2d;
const MS_PER_DAY = 86_400_000;

/** Writes the cell of one row; bound to one column of one batch. */
type CellWriter = (out: ByteBuffer, row: number) => void;

export interface CsvOptions {
  /** Write text exactly as stored, formula-like values included: for loaders, never for spreadsheets. */
  raw?: boolean;
}

export class CsvEncoder {
  readonly #schema: Schema;
  readonly #out = new ByteBuffer(1 << 20);
  readonly #neutralise: boolean;

  constructor(schema: Schema, options: CsvOptions = {}) {
    this.#schema = schema;
    this.#neutralise = options.raw !== true;
  }

  /** The header row. */
  header(): Uint8Array {
    const out = new ByteBuffer(1024);
    this.#schema.fields.forEach((field, i) => {
      if (i > 0) out.byte(COMMA);
      writeText(out, new TextEncoder().encode(field.name), 0, -1, this.#neutralise);
    });
    out.byte(LF);
    return out.take();
  }

  /** Every row of one batch, as CSV bytes. */
  encode(batch: RecordBatch): Uint8Array {
    const columns = this.#schema.fields.map((_, i) => batch.getChildAt(i)!.data[0]);
    const writers = columns.map((data) => cellWriter(data, this.#neutralise));
    // Validity bits read directly (null when the column has no nulls in this batch).
    const validity = columns.map((data) => (data.nullCount > 0 ? data.nullBitmap ?? null : null));
    const bitOffsets = columns.map((data) => data.offset);
    const out = this.#out;
    const width = columns.length;
    for (let row = 0; row < batch.numRows; row++) {
      for (let c = 0; c < width; c++) {
        if (c > 0) out.byte(COMMA);
        const bits = validity[c];
        if (bits !== null) {
          const bit = bitOffsets[c] + row;
          if ((bits[bit >> 3] & (1 << (bit & 7))) === 0) continue;
        }
        writers[c](out, row);
      }
      out.byte(LF);
    }
    return out.take();
  }
}

// Arrow slices value and offset buffers to the batch (index them by row), but not
// bit-packed booleans (index those by offset + row).
function cellWriter(data: Data, neutralise: boolean): CellWriter {
  switch (data.type.typeId) {
    case Type.Utf8: {
      const offsets = data.valueOffsets as Int32Array;
      const bytes = data.values as Uint8Array;
      return (out, i) => writeText(out, bytes, offsets[i], offsets[i + 1], neutralise);
    }
    case Type.Int: {
      if (data.values instanceof BigInt64Array) return int64Writer(data.values);
      if (data.values instanceof BigUint64Array) {
        const big = data.values;
        return (out, i) => out.ascii(String(big[i]));
      }
      const values = data.values as ArrayLike<number>;
      return (out, i) => out.int(values[i]);
    }
    case Type.Float: {
      const values = data.values as Float64Array | Float32Array;
      return (out, i) => {
        const value = values[i];
        if (Number.isInteger(value) && Math.abs(value) < 1e15) {
          out.int(value);
          out.ascii('.0');
        } else out.ascii(formatDouble(value));
      };
    }
    case Type.Bool: {
      const bits = data.values as Uint8Array;
      const base = data.offset;
      return (out, i) => out.ascii(bits[(base + i) >> 3] & (1 << ((base + i) & 7)) ? 'true' : 'false');
    }
    case Type.Date: {
      // Date32 holds days, Date64 milliseconds.
      const values = data.values as ArrayLike<number | bigint>;
      const perDay = (data.type as Date_).unit === DateUnit.DAY ? 1 : MS_PER_DAY;
      if (perDay === 1 && values instanceof Int32Array) return (out, i) => writeDate(out, values[i]);
      return (out, i) => writeDate(out, Math.floor(Number(values[i]) / perDay));
    }
    case Type.Timestamp: {
      const values = data.values as BigInt64Array;
      const unit = (data.type as Timestamp).unit;
      return (out, i) => out.ascii(isoTimestamp(values[i], unit));
    }
    default: {
      // Rare types only (the export casts everything else to the types above).
      const vector = makeVector(data);
      return (out, i) => writeText(out, new TextEncoder().encode(String(vector.get(i) ?? '')), 0, -1, neutralise);
    }
  }
}

/** BIGINT cells: read as two 32-bit halves, so most values need no BigInt at all. */
function int64Writer(values: BigInt64Array): CellWriter {
  const halves = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
  return (out, i) => {
    const low = halves[2 * i];
    const high = halves[2 * i + 1];
    if ((high === 0 && low >= 0) || (high === -1 && low < 0)) out.int(low);
    else if (Math.abs(high) < 0x200000) out.int(high * 0x1_0000_0000 + (low >>> 0));
    else out.ascii(String(values[i]));
  };
}

/**
 * Writes `bytes[start, end)` as one field, quoted when RFC 4180 requires it; with
 * `neutralise`, a formula-like value gets a `'` in front.
 */
function writeText(out: ByteBuffer, bytes: Uint8Array, start: number, end: number, neutralise: boolean): void {
  const stop = end < 0 ? bytes.length : end;
  if (stop === start) {
    out.byte(QUOTE);
    out.byte(QUOTE);
    return;
  }
  const prefix = neutralise && formulaLike(bytes, start, stop);
  let quotes = 0;
  let special = false;
  for (let i = start; i < stop; i++) {
    const b = bytes[i];
    if (b === QUOTE) quotes++;
    else if (b === COMMA || b === LF || b === CR) special = true;
  }
  if (!special && quotes === 0) {
    if (prefix) out.byte(APOSTROPHE);
    out.bytes(bytes, start, stop);
    return;
  }
  out.byte(QUOTE);
  if (prefix) out.byte(APOSTROPHE);
  if (quotes === 0) out.bytes(bytes, start, stop);
  else {
    for (let i = start; i < stop; i++) {
      if (bytes[i] === QUOTE) out.byte(QUOTE);
      out.byte(bytes[i]);
    }
  }
  out.byte(QUOTE);
}

/** True when a spreadsheet would read the text as a formula: OWASP's first characters, less plain numbers. */
export function formulaLike(bytes: Uint8Array, start = 0, stop = bytes.length): boolean {
  const first = bytes[start];
  if (first === EQUALS || first === AT || first === TAB || first === CR) return true;
  return (first === PLUS || first === MINUS) && !plainNumber(bytes, start + 1, stop);
}

/** `12`, `1.5`, `.5`, `1e-3`: digits with at most one point and an exponent (after a sign). */
function plainNumber(bytes: Uint8Array, start: number, stop: number): boolean {
  let i = start;
  let digits = 0;
  let point = false;
  for (; i < stop; i++) {
    const b = bytes[i];
    if (b >= 0x30 && b <= 0x39) digits++;
    else if (b === 0x2e && !point) point = true;
    else break;
  }
  if (digits === 0) return false;
  if (i < stop && (bytes[i] === 0x65 || bytes[i] === 0x45)) {
    i++;
    if (i < stop && (bytes[i] === PLUS || bytes[i] === MINUS)) i++;
    const exponent = i;
    while (i < stop && bytes[i] >= 0x30 && bytes[i] <= 0x39) i++;
    if (i === exponent) return false;
  }
  return i === stop;
}

/** Shortest round-trip text; whole numbers keep `.0` so readers still infer a decimal column. */
export function formatDouble(value: number): string {
  const text = String(value);
  return Number.isInteger(value) && !text.includes('e') ? `${text}.0` : text;
}

/** Days since 1970-01-01 as [year, month, day] (proleptic Gregorian, civil-from-days). */
export function civilDate(days: number): [number, number, number] {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

/** Days of 1900-01-01 … 2100-12-31, whose text is always 10 bytes: kept as bytes, filled on first use. */
const TABLE_FIRST_DAY = -25_567;
const TABLE_DAYS = 73_415;
let dateTable: Uint8Array | undefined;

/** A date cell: from the byte table when in range, else formatted. */
function writeDate(out: ByteBuffer, days: number): void {
  const k = days - TABLE_FIRST_DAY;
  if (k < 0 || k >= TABLE_DAYS) {
    out.ascii(isoDate(days));
    return;
  }
  const table = (dateTable ??= new Uint8Array(TABLE_DAYS * 10));
  const at = k * 10;
  if (table[at] === 0) {
    const text = isoDate(days);
    for (let j = 0; j < 10; j++) table[at + j] = text.charCodeAt(j);
  }
  out.bytes(table, at, at + 10);
}

/** Recently written dates: a table has few distinct days, and formatting one is costly. */
const dateCache = new Map<number, string>();

/** Days since 1970-01-01 as yyyy-mm-dd. */
export function isoDate(days: number): string {
  const cached = dateCache.get(days);
  if (cached !== undefined) return cached;
  if (dateCache.size >= 100_000) dateCache.clear();
  const [year, month, day] = civilDate(days);
  const yyyy = year >= 0 && year <= 9999 ? String(year).padStart(4, '0') : String(year);
  const text = `${yyyy}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  dateCache.set(days, text);
  return text;
}

const UNIT_PER_SECOND = [1n, 1_000n, 1_000_000n, 1_000_000_000n];

/** A timestamp as `yyyy-mm-dd hh:mm:ss[.fraction]` (no time zone, like DuckDB's TIMESTAMP). */
export function isoTimestamp(value: bigint, unit: number): string {
  const perSecond = UNIT_PER_SECOND[unit];
  let seconds = value / perSecond;
  let fraction = value % perSecond;
  if (fraction < 0n) {
    seconds -= 1n;
    fraction += perSecond;
  }
  const secs = Number(seconds);
  const days = Math.floor(secs / 86_400);
  const rest = secs - days * 86_400;
  const hh = String(Math.floor(rest / 3600)).padStart(2, '0');
  const mm = String(Math.floor((rest % 3600) / 60)).padStart(2, '0');
  const ss = String(rest % 60).padStart(2, '0');
  const digits = String(perSecond).length - 1;
  const frac = fraction === 0n ? '' : `.${String(fraction).padStart(digits, '0').replace(/0+$/, '')}`;
  return `${isoDate(days)} ${hh}:${mm}:${ss}${frac}`;
}
