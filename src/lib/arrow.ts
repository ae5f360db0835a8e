/** Decodes Arrow IPC bytes from the worker into plain rows for display. */
import { DataType, tableFromIPC, util, type Field } from 'apache-arrow';

export type Cell = string | number | boolean | null;

export interface DecodedTable {
  columns: { name: string; type: string; numeric: boolean }[];
  rows: Cell[][];
}

export function decodeIpc(bytes: Uint8Array): DecodedTable {
  const table = tableFromIPC(bytes);
  const fields = table.schema.fields;
  const vectors = fields.map((_, i) => table.getChildAt(i));
  const rows: Cell[][] = [];
  for (let r = 0; r < table.numRows; r++) {
    rows.push(fields.map((field, c) => toCell(field, vectors[c]?.get(r))));
  }
  return {
    columns: fields.map((f) => ({ name: f.name, type: String(f.type), numeric: isNumeric(f.type) })),
    rows,
  };
}

function isNumeric(type: DataType): boolean {
  return DataType.isInt(type) || DataType.isFloat(type) || DataType.isDecimal(type);
}

/** BigInt → Number, dates → ISO text, decimals scaled, anything else → text. */
export function toCell(field: Field, value: unknown): Cell {
  if (value === null || value === undefined) return null;
  const type = field.type;
  if (DataType.isDecimal(type)) {
    return util.bigNumToNumber(value as Parameters<typeof util.bigNumToNumber>[0], type.scale);
  }
  if (DataType.isDate(type)) return isoDate(value, 10);
  if (DataType.isTimestamp(type)) return isoDate(value, 19);
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

function isoDate(value: unknown, length: number): string {
  const ms = value instanceof Date ? value.getTime() : Number(value);
  return Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, length).replace('T', ' ') : String(value);
}
