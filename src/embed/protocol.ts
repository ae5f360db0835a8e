/**
 * The postMessage protocol between a host page and the embedded workbench, typed once
 * and shared by the app (src/lib/embed/bridge.ts) and the host SDK (src/embed/sdk.ts).
 * Every message is `{ type: 'workbench:<name>', version: 1, ...payload }`.
 */

export const PROTOCOL_VERSION = 1;

export type Measure = 'total_sales' | 'total_units' | 'total_orders' | 'total_customers' | 'avg_order_value' | 'avg_unit_price';
/** Dashboard filters: a filter name (`country`, `category`, `year`, ...) to its chosen values. */
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

export function versioned<M extends HostMessage | AppMessage>(message: M): Versioned<M> {
  return { ...message, version: PROTOCOL_VERSION };
}
