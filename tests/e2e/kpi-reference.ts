/**
 * The overview KPIs of the real export, computed here in Node with our own small
 * code (no DuckDB), from the documented silver rules for sales lines:
 * - price: kept when > 0; when missing or ≤ 0 it is derived as sales ÷ quantity;
 * - sales: recomputed as quantity × |price| when missing, ≤ 0 or ≠ quantity × |price|;
 * - every sales line is a fact row; orders are distinct order numbers;
 * - customers are distinct sales customer ids that exist in cust_info (null ids dropped).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Splits CSV text into rows of trimmed cells (double quotes honoured). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell.trim());
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell.trim());
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length) rows.push([...row, cell.trim()]);
  return rows;
}

function records(file: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  const names = header.map((h) => h.toLowerCase());
  return rows
    .filter((r) => r.some((c) => c !== ''))
    .map((r) => Object.fromEntries(names.map((n, i) => [n, r[i] ?? ''])));
}

function num(text: string): number | null {
  if (text === '') return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

export interface ReferenceKpis {
  total_sales: number;
  total_units: number;
  total_orders: number;
  total_customers: number;
}

export function referenceKpis(datasetDir: string): ReferenceKpis {
  const sales = records(path.join(datasetDir, 'source_crm/sales_details.csv'));
  const customers = records(path.join(datasetDir, 'source_crm/cust_info.csv'));
  const knownIds = new Set(customers.map((c) => num(c.cst_id)).filter((id): id is number => id !== null));

  let totalSales = 0;
  let totalUnits = 0;
  const orders = new Set<string>();
  const buyers = new Set<number>();
  for (const line of sales) {
    const quantity = num(line.sls_quantity) ?? 0;
    const rawSales = num(line.sls_sales);
    const rawPrice = num(line.sls_price);
    const price = rawPrice !== null && rawPrice > 0 ? rawPrice : rawSales !== null && quantity !== 0 ? rawSales / quantity : null;
    const expected = rawPrice === null ? null : quantity * Math.abs(rawPrice);
    const wrong = rawSales === null || rawSales <= 0 || (expected !== null && rawSales !== expected);
    const amount = wrong ? (expected ?? (price === null ? null : quantity * Math.abs(price))) : rawSales;
    totalSales += amount ?? 0;
    totalUnits += quantity;
    orders.add(line.sls_ord_num);
    const customer = num(line.sls_cust_id);
    if (customer !== null && knownIds.has(customer)) buyers.add(customer);
  }
  return { total_sales: totalSales, total_units: totalUnits, total_orders: orders.size, total_customers: buyers.size };
}
