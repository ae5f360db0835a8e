/**
 * Reading a console result (an Arrow table) for display, sorting and download:
 * cells as plain values, a sort order as a permutation of row numbers (the table
 * itself is never copied), CSV text in chunks, and rows for a chart.
 */
import { DataType, type Field, type Table, type Vector } from 'apache-arrow';
import { toCell, type Cell } from '../arrow.ts';
import { CsvEncoder, type CsvOptions } from '../../exports/csv-writer.ts';
import type { ChartColumn } from './chart-spec.ts';

export interface ResultColumn extends ChartColumn {
  type: string;
}

export function resultColumns(table: Table): ResultColumn[] {
  return table.schema.fields.map((f) => ({
    name: f.name,
    type: String(f.type),
    numeric: DataType.isInt(f.type) || DataType.isFloat(f.type) || DataType.isDecimal(f.type),
    temporal: DataType.isDate(f.type) || DataType.isTimestamp(f.type),
  }));
}

/**
 * Reads cells of a result. The column vectors are looked up once: `table.getChildAt`
 * builds a new vector over every record batch on each call, far too slow per cell.
 */
export class ResultReader {
  readonly table: Table;
  readonly #vectors: Vector[];
  readonly #fields: Field[];

  constructor(table: Table) {
    this.table = table;
    this.#fields = table.schema.fields;
    this.#vectors = this.#fields.map((_, c) => table.getChildAt(c)!);
  }

  /** The plain value at a row and column. */
  cell(row: number, column: number): Cell {
    return toCell(this.#fields[column], this.#vectors[column].get(row));
  }

  /** Every value of one column, in row order. */
  columnValues(column: number): Cell[] {
    const field = this.#fields[column];
    const out: Cell[] = new Array(this.table.numRows);
    let r = 0;
    // Iterating a vector walks its batches in turn (no search per row).
    for (const value of this.#vectors[column]) out[r++] = toCell(field, value);
    return out;
  }
}

/** Text for a cell as the grid shows it. */
export function cellText(cell: Cell): string {
  return cell === null ? '∅' : String(cell);
}

function compare(a: Cell, b: Cell): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

/** Row numbers in the order of one column (nulls last either way, ties in row order). */
export function sortOrder(reader: ResultReader, column: number, descending: boolean): Uint32Array {
  const keys = reader.columnValues(column);
  const order = Uint32Array.from({ length: keys.length }, (_, i) => i);
  const sign = descending ? -1 : 1;
  order.sort((a, b) => {
    const ka = keys[a];
    const kb = keys[b];
    if (ka === null || kb === null) return compare(ka, kb) || a - b;
    return sign * compare(ka, kb) || a - b;
  });
  return order;
}

/** The result as CSV bytes, by the app's one CSV encoder: the same format (and formula guard) as every other download. */
export function csvParts(table: Table, options: CsvOptions = {}): Uint8Array[] {
  const encoder = new CsvEncoder(table.schema, options);
  return [encoder.header(), ...table.batches.map((batch) => encoder.encode(batch))];
}

/** The first `limit` rows as objects, for a chart. */
export function rowObjects(table: Table, limit: number): Record<string, Cell>[] {
  const reader = new ResultReader(table);
  const names = table.schema.fields.map((f) => f.name);
  const out: Record<string, Cell>[] = [];
  for (let r = 0; r < Math.min(limit, table.numRows); r++) {
    const row: Record<string, Cell> = {};
    names.forEach((name, c) => {
      row[name] = reader.cell(r, c);
    });
    out.push(row);
  }
  return out;
}
