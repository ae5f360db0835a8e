/**
 * The text a cell becomes on its way to bronze: what a CSV export of that sheet or table would
 * hold. Numbers without locale formatting or float noise, dates as ISO dates — or as the
 * `yyyymmdd` numbers the sales contract expects, in the columns it reads that way — booleans
 * as TRUE/FALSE, empty cells as empty fields. One set of rules for workbooks and Parquet.
 */
import { dateFromSerial } from 'numfmt';
import { CONTRACTS } from '../pipeline/contracts.ts';
import { normaliseColumnName, recogniseSource } from '../pipeline/sources.ts';

/** Positions of the header's columns that a source contract reads as `yyyymmdd` numbers. */
export function yyyymmddColumns(header: readonly string[]): Set<number> {
  const source = recogniseSource(header);
  if (!source) return new Set();
  const wanted = new Set(
    CONTRACTS[source.id].flatMap((c) => (c.kind === 'parses_as' && c.type === 'yyyymmdd' ? [c.column] : [])),
  );
  return new Set(header.flatMap((h, i) => (wanted.has(normaliseColumnName(h)) ? [i] : [])));
}

/**
 * A number as a spreadsheet's CSV export writes it: integers exactly, other values to the 15
 * significant digits a spreadsheet keeps (0.1 + 0.2 is `0.3`, 19.99 stays `19.99`).
 */
export function numberText(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER) return String(value === 0 ? 0 : value);
  const rounded = Number(value.toPrecision(15));
  return String(rounded === 0 ? 0 : rounded);
}

/** An exact decimal (Parquet DECIMAL, here as the nearest double) with its scale: `3578.00`, `19.99`. */
export function decimalText(value: number, scale: number): string {
  return scale > 0 && scale <= 100 ? value.toFixed(scale) : numberText(value);
}

/** A 32-bit float in its shortest form (what DuckDB writes for FLOAT): `19.99`, not `19.989999771118164`. */
export function floatText(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number(value.toPrecision(digits));
    if (Math.fround(candidate) === value) return String(candidate);
  }
  return String(value);
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Calendar parts as text: `2010-12-29`, `2010-12-29 08:30:00`, or `20101229` for a yyyymmdd column. */
export function calendarText(y: number, m: number, d: number, h: number, mi: number, s: number, yyyymmdd: boolean): string {
  const date = `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
  if (yyyymmdd) return date.replaceAll('-', '');
  return h || mi || s ? `${date} ${pad(h)}:${pad(mi)}:${pad(s)}` : date;
}

/** The largest serial a spreadsheet shows as a date (9999-12-31). */
const LAST_SERIAL = 2958465;

/**
 * A spreadsheet date serial (days since 1900-01-00, with its 1900 leap-year quirk, or since
 * 1904-01-01 in 1904 workbooks) as text. `timeOnly` formats show no date.
 */
export function serialDateText(serial: number, date1904: boolean, yyyymmdd: boolean, timeOnly = false): string {
  const days = serial + (date1904 ? 1462 : 0);
  if (serial < 0 || days > LAST_SERIAL) return numberText(serial);
  const [y, m, d, h, mi, s] = dateFromSerial(days) as number[];
  if (timeOnly && serial < 1 && !yyyymmdd) return `${pad(h)}:${pad(mi)}:${pad(s)}`;
  return calendarText(y, m, d, h, mi, s, yyyymmdd);
}

/** An ISO 8601 date-time as written in a cell (`2010-12-29T00:00:00Z`), as text. */
export function isoCellText(iso: string, yyyymmdd: boolean): string {
  const found = iso.match(/^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?/);
  if (!found) return iso;
  const [, y, m, d, h = '0', mi = '0', s = '0'] = found;
  return calendarText(+y, +m, +d, +h, +mi, +s, yyyymmdd);
}

/** One CSV field (RFC 4180): quoted when it holds a delimiter, quote, line break or edge spaces. */
export function csvField(text: string): string {
  if (text === '') return '';
  if (/[",\r\n]/.test(text) || /^\s|\s$/.test(text)) return `"${text.replaceAll('"', '""')}"`;
  return text;
}
