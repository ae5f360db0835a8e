/** A chart's rows as text: table-view cells (exact figures) and CSV downloads. */
import type { ColumnDef } from './charts.ts';
import { formatExact, formatMonth, formatShare } from './format.ts';
import type { TimeGrain } from '../../shared/dashboard-pages.ts';

/** One cell as people read it: exact amounts, shares in %, periods as Dec 2013 or 2013. */
export function cellText(value: unknown, column: ColumnDef, grain: TimeGrain = 'month'): string {
  if (value === null || value === undefined) return '—';
  switch (column.kind) {
    case 'amount':
    case 'count':
      return formatExact(value);
    case 'share':
      return formatShare(value);
    case 'period':
      return grain === 'year' ? String(value).slice(0, 4) : formatMonth(value);
    default:
      return String(value);
  }
}

/** Values that a spreadsheet would run as a formula get a leading apostrophe. */
function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The rows as CSV (header = column labels; raw values, so nothing is rounded). */
export function rowsToCsv(rows: Record<string, unknown>[], columns: ColumnDef[]): string {
  const lines = [columns.map((c) => csvCell(c.label)).join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvCell(row[c.field])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
