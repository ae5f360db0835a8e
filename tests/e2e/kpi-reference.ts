/**
 * The overview KPIs of the real export, computed here in Node with our own small
 * code (no DuckDB), from the documented silver rules for sales lines:
 * - price: kept when > 0; when missing or ≤ 0 it is derived as sales ÷ quantity;
 * - sales: recomputed as quantity × |price| when missing, ≤ 0 or ≠ quantity × |price|;
 * - every sales line is a fact row; orders are distinct order numbers;
 * - customers are distinct sales customer ids that exist in cust_info (null ids dropped).
 * Filtered by country, a line counts when its customer's country is kept:
 * - a customer id's record is its latest (create date, then the later line), its key joins
 *   the ERP locations with dashes removed; DE is Germany, US/USA United States (any case), blank n/a;
 * - a line whose customer is unknown, or has no location, is in country n/a.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseCsv as parseRows } from '../fixtures/dialects.ts';

/** Splits CSV text into rows of trimmed cells (double quotes honoured). */
export function parseCsv(text: string): string[][] {
  return parseRows(text).map((row) => row.map((cell) => cell.trim()));
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

/** Which sales lines count: the customer countries kept (absent: all lines). */
export interface ReferenceFilter {
  country?: string[];
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The customer key of each customer id: the key of its latest record. */
function latestKeys(customers: Record<string, string>[]): Map<number, string> {
  const latest = new Map<number, { key: string; day: string | null; line: number }>();
  customers.forEach((c, line) => {
    const id = num(c.cst_id);
    if (id === null) return;
    const day = ISO_DAY.test(c.cst_create_date) ? c.cst_create_date : null;
    const seen = latest.get(id);
    // later day first, a day before none, then the later line
    const newer = !seen || (day !== null && (seen.day === null || day > seen.day)) || (day === seen.day && line > seen.line);
    if (newer) latest.set(id, { key: c.cst_key, day, line });
  });
  return new Map([...latest].map(([id, r]) => [id, r.key]));
}

function countryName(code: string): string {
  const upper = code.toUpperCase(); // codes in any case
  if (upper === 'DE') return 'Germany';
  if (upper === 'US' || upper === 'USA') return 'United States';
  return code === '' ? 'n/a' : code;
}

/** The country of each customer id, as the dashboards show it. */
function customerCountries(datasetDir: string, customers: Record<string, string>[]): Map<number, string> {
  const byKey = new Map<string, string>();
  for (const loc of records(path.join(datasetDir, 'source_erp/LOC_A101.csv'))) {
    const cid = loc.cid.replace(/-/g, '');
    const country = countryName(loc.cntry);
    // one location per customer number: the first country in sort order
    const seen = byKey.get(cid);
    if (seen === undefined || country < seen) byKey.set(cid, country);
  }
  return new Map([...latestKeys(customers)].map(([id, key]) => [id, byKey.get(key) ?? 'n/a']));
}

export function referenceKpis(datasetDir: string, filter: ReferenceFilter = {}): ReferenceKpis {
  const sales = records(path.join(datasetDir, 'source_crm/sales_details.csv'));
  const customers = records(path.join(datasetDir, 'source_crm/cust_info.csv'));
  const knownIds = new Set(customers.map((c) => num(c.cst_id)).filter((id): id is number => id !== null));
  const countries = filter.country ? customerCountries(datasetDir, customers) : undefined;

  let totalSales = 0;
  let totalUnits = 0;
  const orders = new Set<string>();
  const buyers = new Set<number>();
  for (const line of sales) {
    if (countries && filter.country) {
      const id = num(line.sls_cust_id);
      const country = (id !== null && countries.get(id)) || 'n/a';
      if (!filter.country.includes(country)) continue;
    }
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
