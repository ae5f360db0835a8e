/** Small value formats shared by the sample files: days, dates, CSV quoting, customer keys. */

export const DAY_MS = 86_400_000;

export function dayNumber(iso: string): number {
  return Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
}

export function isoDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** `isoDate` for `count` consecutive days from `first`, computed once (Date formatting is slow per row). */
export function isoDays(first: number, count: number): string[] {
  return Array.from({ length: count }, (_, d) => isoDate(first + d));
}

/** RFC 4180: quote a value only when it holds a delimiter, quote or line break. */
export function csv(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function customerKey(id: number): string {
  return 'AW' + String(id).padStart(8, '0');
}
