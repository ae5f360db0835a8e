/**
 * The KPI tables as one Excel workbook, a sheet per table (write-excel-file): numbers
 * as numbers, dates as Excel dates, the header row frozen.
 */
import writeXlsxFile, { type Row, type Sheet } from 'write-excel-file/universal';
import type { SqlEngine } from '../duckdb/sql-engine.ts';
import { packageTableName } from '../pipeline/exports.ts';
import { exportSelectList } from './columns.ts';
import type { TableShape } from './table-export.ts';
import { quoteIdent } from '../sql/quote.ts';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * The zip library inside write-excel-file hands any part over 160,000 bytes to a
 * helper worker made from a blob: URL, which a strict CSP forbids. KPI sheets are far
 * smaller; a table whose sheet would come near that is left out, with a note saying so.
 */
export const MAX_SHEET_XML_BYTES = 150_000;

/** An upper estimate of a sheet's XML: `<c r="M297" s="1" t="s"><v>value</v></c>` per cell. */
export function sheetXmlEstimate(rows: Row[]): number {
  let bytes = 2_000;
  rows.forEach((row, r) => {
    const ref = String(r + 1).length + 2;
    bytes += 24;
    for (const cell of row) {
      const value = cell !== null && typeof cell === 'object' && 'value' in cell ? cell.value : cell;
      bytes += 32 + ref + (typeof value === 'number' ? String(value).length : 6);
    }
  });
  return bytes;
}

/** Sheet names: at most 31 characters, unique. */
function sheetName(table: string, used: Set<string>): string {
  const base = packageTableName(table).replace(/^kpi_/, '').slice(0, 31);
  let name = base;
  for (let i = 2; used.has(name); i++) name = `${base.slice(0, 28)}_${i}`;
  used.add(name);
  return name;
}

/** The workbook of these (KPI) tables. */
export async function kpiWorkbook(engine: SqlEngine, shapes: TableShape[]): Promise<Blob> {
  const used = new Set<string>(['notes']);
  const sheets: Sheet<never>[] = [];
  const left: string[] = [];
  for (const shape of shapes) {
    const [schema, name] = shape.table.split('.');
    const rows = await engine.query(`select ${exportSelectList(shape.columns)} from ${quoteIdent(schema)}.${quoteIdent(name)}`);
    const header: Row = shape.columns.map((c) => ({ value: c.name, fontWeight: 'bold' }));
    const body: Row[] = rows.map((row) => shape.columns.map((c) => cell(row[c.name], c.exportType)));
    if (sheetXmlEstimate([header, ...body]) > MAX_SHEET_XML_BYTES) {
      left.push(`${packageTableName(shape.table)} (${rows.length} rows) is too large for this workbook: use ${packageTableName(shape.table)}.csv or .parquet`);
      continue;
    }
    sheets.push({
      sheet: sheetName(shape.table, used),
      data: [header, ...body],
      columns: shape.columns.map((c) => ({ width: Math.max(12, Math.min(40, c.name.length + 2)) })),
      stickyRowsCount: 1,
    });
  }
  if (sheets.length === 0) throw new Error('there are no KPI tables in the current results');
  if (left.length) sheets.push({ sheet: 'notes', data: left.map((text) => [text]), columns: [{ width: 100 }] });
  const blob = await writeXlsxFile(sheets).toBlob();
  return new Blob([blob], { type: XLSX_TYPE });
}

function cell(value: unknown, type: string): Row[number] {
  if (value === null || value === undefined) return null;
  // Query results give dates as epoch milliseconds.
  if (type === 'DATE') return { value: new Date(Number(value)), type: Date, format: 'yyyy-mm-dd' };
  if (type === 'TIMESTAMP') return { value: new Date(Number(value)), type: Date, format: 'yyyy-mm-dd hh:mm:ss' };
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  return String(value);
}
