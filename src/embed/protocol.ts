/**
 * The postMessage protocol between a host page and the embedded workbench, typed once
 * and shared by the app (src/lib/embed/bridge.svelte.ts) and the host SDK (src/embed/sdk.ts).
 * Every message is `{ type: 'workbench:<name>', version: 1, ...payload }`.
 */

export const PROTOCOL_VERSION = 1;

export type Measure = 'total_sales' | 'total_units' | 'total_orders' | 'total_customers' | 'avg_order_value' | 'avg_unit_price';
/** Dashboard filters: a filter name (`country`, `category`, `from`, ...) to its chosen values. */
export type Filters = Record<string, string[]>;
export type ExportFormat = 'csv' | 'parquet';

/** Host → app. */
export type HostMessage =
  | { type: 'workbench:load-files'; files: { name: string; data: ArrayBuffer }[] }
  | { type: 'workbench:run' }
  | { type: 'workbench:set-filters'; filters: Filters }
  | { type: 'workbench:set-page'; page: string }
  /** Answered by `workbench:export-result` with the same `requestId`. */
  | { type: 'workbench:export'; requestId: string; table: string; format?: ExportFormat };

/** App → host. */
export type AppMessage =
  | { type: 'workbench:ready'; pages: string[] }
  | { type: 'workbench:run-status'; state: 'idle' | 'running' | 'success' | 'failed'; task?: string }
  | { type: 'workbench:kpis'; kpis: Partial<Record<Measure, number>>; filters: Filters }
  | { type: 'workbench:filters-changed'; filters: Filters }
  | { type: 'workbench:error'; message: string; requestId?: string }
  | { type: 'workbench:resize'; height: number }
  | { type: 'workbench:export-result'; requestId: string; name: string; mimeType: string; data: ArrayBuffer };

export type Versioned<M> = M & { version: number };

const HOST_TYPES = new Set(['workbench:load-files', 'workbench:run', 'workbench:set-filters', 'workbench:set-page', 'workbench:export']);
const APP_TYPES = new Set([
  'workbench:ready', 'workbench:run-status', 'workbench:kpis', 'workbench:filters-changed',
  'workbench:error', 'workbench:resize', 'workbench:export-result',
]);

function isMessage(data: unknown, types: Set<string>): boolean {
  if (typeof data !== 'object' || data === null) return false;
  const { type, version } = data as { type?: unknown; version?: unknown };
  return typeof type === 'string' && types.has(type) && version === PROTOCOL_VERSION;
}

/** A well-formed host message of this protocol version (anything else is ignored). */
export function isHostMessage(data: unknown): data is Versioned<HostMessage> {
  return isMessage(data, HOST_TYPES);
}

export function isAppMessage(data: unknown): data is Versioned<AppMessage> {
  return isMessage(data, APP_TYPES);
}

/** Bounds that keep a host's request small whatever it sends. */
const MAX_FILTER_VALUES = 50;
const MAX_ID_LENGTH = 200;

/**
 * The filters of a `workbench:set-filters`, checked: an object of string arrays whose
 * names are among `known`. Throws with the reason in words.
 */
export function readFilters(value: unknown, known: readonly string[]): Filters {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new Error('filters must be an object such as { country: ["Germany"] }');
  const filters: Filters = {};
  for (const [name, values] of Object.entries(value as Record<string, unknown>)) {
    if (!known.includes(name)) throw new Error(`unknown filter ${JSON.stringify(name.slice(0, 40))}; filters: ${known.join(', ')}`);
    if (!Array.isArray(values) || !values.every((v) => typeof v === 'string')) throw new Error(`filter ${name} needs a list of strings`);
    if (values.length > MAX_FILTER_VALUES) throw new Error(`filter ${name} takes at most ${MAX_FILTER_VALUES} values`);
    filters[name] = values as string[];
  }
  return filters;
}

/** A `workbench:export` request, checked (format defaults to CSV). Throws with the reason in words. */
export function readExportRequest(message: { requestId?: unknown; table?: unknown; format?: unknown }): { requestId: string; table: string; format: ExportFormat } {
  const { requestId, table, format = 'csv' } = message;
  if (typeof requestId !== 'string' || requestId === '' || requestId.length > MAX_ID_LENGTH) throw new Error('export needs a requestId (a short string)');
  // schema.table of the results, e.g. gold.fact_sales; the app looks it up by bound parameters.
  if (typeof table !== 'string' || !/^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$/i.test(table)) throw new Error('export needs a table as schema.name, e.g. gold.fact_sales');
  if (format !== 'csv' && format !== 'parquet') throw new Error('export format must be csv or parquet');
  return { requestId, table, format };
}

export function versioned<M extends HostMessage | AppMessage>(message: M): Versioned<M> {
  return { ...message, version: PROTOCOL_VERSION };
}
