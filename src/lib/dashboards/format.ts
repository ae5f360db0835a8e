/** Number and date formats of the dashboards: compact (29.4M, 1.06K), shares, months. */

const compact = new Intl.NumberFormat(undefined, { notation: 'compact', maximumSignificantDigits: 3 });
const grouped = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
const percent = new Intl.NumberFormat(undefined, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
const month = new Intl.DateTimeFormat(undefined, { month: 'short', year: 'numeric', timeZone: 'UTC' });

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** 29.4M, 1.06K, 742: three significant digits. */
export function formatCompact(value: unknown): string {
  return isNumber(value) ? compact.format(value) : '—';
}

/** Every digit, grouped: 29,356,250 (tables, tooltips of exact values). */
export function formatExact(value: unknown): string {
  return isNumber(value) ? grouped.format(value) : '—';
}

/** A share 0–1 as 38.2%. */
export function formatShare(value: unknown): string {
  return isNumber(value) ? percent.format(value) : '—';
}

/** `2013-12-01` → Dec 2013. */
export function formatMonth(day: unknown): string {
  if (typeof day !== 'string') return '—';
  const d = new Date(`${day.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? day : month.format(d);
}

/** The last day of the month or year that starts on `day` (`yyyy-mm-dd`). */
export function periodEnd(day: string, grain: 'month' | 'year'): string {
  const [y, m] = day.split('-').map(Number);
  const end = grain === 'year' ? new Date(Date.UTC(y, 11, 31)) : new Date(Date.UTC(y, m, 0));
  return end.toISOString().slice(0, 10);
}
