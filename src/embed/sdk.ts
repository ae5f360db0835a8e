/**
 * The host SDK, served by every deployment as `embed.js`:
 *
 *   import { mount } from 'https://tools.example.com/workbench/embed.js';
 *   const wb = mount(document.querySelector('#workbench'), { src: 'https://tools.example.com/workbench/', page: 'dashboards/executive' });
 *   wb.on('kpis', ({ kpis }) => console.log(kpis.total_sales));
 *
 * or, where a page can only paste HTML:
 *
 *   <script type="module" src="https://tools.example.com/workbench/embed.js"></script>
 *   <retail-workbench src="https://tools.example.com/workbench/" page="dashboards/executive"></retail-workbench>
 *
 * It only talks to the iframe it created, and only accepts messages from that iframe's origin.
 * It frames only http: and https: URLs: a `javascript:` or `data:` src would run in the portal's
 * own origin (the one the app's allow-list trusts), so such a src is refused with an `error`
 * event and no iframe is made.
 */
import { isAppMessage, versioned, type AppMessage, type ExportFormat, type Filters, type HostMessage } from './protocol.ts';

export type { AppMessage, Filters } from './protocol.ts';

export interface MountOptions {
  /** URL of the deployed app (its folder or its index.html). */
  src: string;
  page?: string;
  filters?: Filters;
  theme?: 'light' | 'dark' | 'auto';
  /** Keep results in the browser's storage between visits (default true). */
  persist?: boolean;
  /** Accessible name of the iframe. */
  title?: string;
}

type EventName = AppMessage['type'] extends `workbench:${infer N}` ? N : never;
type Payload<N extends EventName> = Extract<AppMessage, { type: `workbench:${N}` }>;

export interface Workbench {
  /** The app's iframe; null when `src` was refused (not an http: or https: URL). */
  readonly iframe: HTMLIFrameElement | null;
  /** Resolves once the app said `ready`; rejects when `src` was refused. */
  readonly ready: Promise<void>;
  loadFiles(files: (File | { name: string; data: ArrayBuffer })[]): Promise<void>;
  run(): void;
  setFilters(filters: Filters): void;
  setPage(page: string): void;
  /** A table of the current results as bytes, e.g. `exportTable('gold.fact_sales', 'parquet')`. */
  exportTable(table: string, format?: ExportFormat): Promise<{ name: string; mimeType: string; data: ArrayBuffer }>;
  on<N extends EventName>(event: N, listener: (message: Payload<N>) => void): () => void;
  destroy(): void;
}

/** Filters as the app's URL query string (`country=Germany&country=France`). */
export function filtersToQuery(filters: Filters): string {
  const params = new URLSearchParams();
  for (const [key, values] of Object.entries(filters)) for (const v of values) params.append(key, v);
  return params.toString();
}

/** Schemes the SDK frames; any other would run `src` in the portal's origin or show foreign content. */
const FRAMED_PROTOCOLS = new Set(['http:', 'https:']);

/** Thrown for a `src` the SDK will not frame. */
export class RefusedSourceError extends Error {}

/**
 * The iframe's URL: `src` resolved against the page (relative URLs work), with the embed
 * parameters. Throws RefusedSourceError unless it is an http: or https: URL.
 */
export function appUrl(options: MountOptions, base = globalThis.location?.href): URL {
  let url: URL;
  try {
    url = new URL(String(options.src), base);
  } catch {
    throw new RefusedSourceError(`embed.js: src ${JSON.stringify(String(options.src).slice(0, 80))} is not a URL`);
  }
  if (!FRAMED_PROTOCOLS.has(url.protocol)) {
    throw new RefusedSourceError(`embed.js: src must be an http: or https: URL, not ${url.protocol}; no iframe was made`);
  }
  url.searchParams.set('embed', '1');
  if (options.page) url.searchParams.set('page', options.page);
  if (options.filters) url.searchParams.set('filters', filtersToQuery(options.filters));
  if (options.theme) url.searchParams.set('theme', options.theme);
  if (options.persist === false) url.searchParams.set('persist', '0');
  return url;
}

export function mount(element: HTMLElement, options: MountOptions): Workbench {
  let url: URL;
  try {
    url = appUrl(options);
  } catch (e) {
    if (e instanceof RefusedSourceError) return refused(e);
    throw e;
  }
  const origin = url.origin;
  const iframe = document.createElement('iframe');
  iframe.src = url.href;
  iframe.title = options.title ?? 'Retail Analytics Workbench';
  iframe.style.cssText = 'width:100%;border:0;display:block;min-height:320px';
  element.append(iframe);

  const listeners = new Map<string, Set<(m: AppMessage) => void>>();
  const pendingExports = new Map<string, { resolve: (v: { name: string; mimeType: string; data: ArrayBuffer }) => void; reject: (e: Error) => void }>();
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  const onMessage = (event: MessageEvent) => {
    if (event.source !== iframe.contentWindow || event.origin !== origin || !isAppMessage(event.data)) return;
    const message = event.data;
    if (message.type === 'workbench:ready') markReady();
    if (message.type === 'workbench:resize') iframe.style.height = `${Math.ceil(message.height)}px`;
    if (message.type === 'workbench:export-result') pendingExports.get(message.requestId)?.resolve(message);
    if (message.type === 'workbench:error' && message.requestId) pendingExports.get(message.requestId)?.reject(new Error(message.message));
    for (const listener of listeners.get(message.type.slice('workbench:'.length)) ?? []) listener(message);
  };
  window.addEventListener('message', onMessage);

  const post = async (message: HostMessage, transfer: Transferable[] = []) => {
    await ready;
    iframe.contentWindow?.postMessage(versioned(message), origin, transfer);
  };

  let exportCounter = 0;
  return {
    iframe,
    ready,
    async loadFiles(files) {
      const payload = await Promise.all(
        files.map(async (f) => ({ name: f.name, data: f instanceof File ? await f.arrayBuffer() : f.data })),
      );
      await post({ type: 'workbench:load-files', files: payload }, payload.map((f) => f.data));
    },
    run: () => void post({ type: 'workbench:run' }),
    setFilters: (filters) => void post({ type: 'workbench:set-filters', filters }),
    setPage: (page) => void post({ type: 'workbench:set-page', page }),
    exportTable(table, format = 'csv') {
      const requestId = `export-${++exportCounter}`;
      return new Promise((resolve, reject) => {
        pendingExports.set(requestId, { resolve, reject });
        void post({ type: 'workbench:export', requestId, table, format });
      }).finally(() => pendingExports.delete(requestId)) as Promise<{ name: string; mimeType: string; data: ArrayBuffer }>;
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener as (m: AppMessage) => void);
      return () => set.delete(listener as (m: AppMessage) => void);
    },
    destroy() {
      window.removeEventListener('message', onMessage);
      for (const { reject } of pendingExports.values()) reject(new Error('the workbench was removed'));
      iframe.remove();
    },
  };
}

/**
 * A workbench that never was: no iframe, every call refused, and one `error` event,
 * sent once the caller had the chance to listen (the next task).
 */
function refused(error: RefusedSourceError): Workbench {
  const listeners = new Set<(m: Payload<'error'>) => void>();
  setTimeout(() => {
    const message = versioned({ type: 'workbench:error' as const, message: error.message });
    for (const listener of listeners) listener(message);
  }, 0);
  const ready = Promise.reject(error);
  // Awaiting `ready` rejects; leaving it alone must not report an unhandled rejection.
  ready.catch(() => undefined);
  return {
    iframe: null,
    ready,
    loadFiles: () => Promise.reject(error),
    run: () => undefined,
    setFilters: () => undefined,
    setPage: () => undefined,
    exportTable: () => Promise.reject(error),
    on(event, listener) {
      if (event !== 'error') return () => false;
      const l = listener as (m: Payload<'error'>) => void;
      listeners.add(l);
      return () => listeners.delete(l);
    },
    destroy: () => listeners.clear(),
  };
}

/**
 * `<retail-workbench src="…" page="…" theme="…" filters='{"country":["Germany"]}'>`, defined
 * when this module loads in a browser.
 */
function defineElement(): void {
  class RetailWorkbenchElement extends HTMLElement {
    workbench?: Workbench;

    connectedCallback(): void {
      const src = this.getAttribute('src');
      if (!src) return;
      let filters: Filters | undefined;
      try {
        filters = JSON.parse(this.getAttribute('filters') ?? 'null') ?? undefined;
      } catch {
        filters = undefined;
      }
      const theme = this.getAttribute('theme');
      this.workbench = mount(this, {
        src,
        page: this.getAttribute('page') ?? undefined,
        filters,
        theme: theme === 'light' || theme === 'dark' || theme === 'auto' ? theme : undefined,
        persist: this.getAttribute('persist') !== '0',
        title: this.getAttribute('title') ?? undefined,
      });
      // Re-dispatch app messages as DOM events: `el.addEventListener('workbench:kpis', e => e.detail)`.
      for (const name of ['ready', 'run-status', 'kpis', 'filters-changed', 'error', 'resize'] as const) {
        this.workbench.on(name, (detail) => this.dispatchEvent(new CustomEvent(`workbench:${name}`, { detail })));
      }
    }

    disconnectedCallback(): void {
      this.workbench?.destroy();
      this.workbench = undefined;
    }
  }
  if (!customElements.get('retail-workbench')) customElements.define('retail-workbench', RetailWorkbenchElement);
}

if (typeof customElements !== 'undefined') defineElement();
