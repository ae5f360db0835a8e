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
  readonly iframe: HTMLIFrameElement;
  /** Resolves once the app said `ready`. */
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

export function appUrl(options: MountOptions, base = globalThis.location?.href): URL {
  const url = new URL(options.src, base);
  url.searchParams.set('embed', '1');
  if (options.page) url.searchParams.set('page', options.page);
  if (options.filters) url.searchParams.set('filters', filtersToQuery(options.filters));
  if (options.theme) url.searchParams.set('theme', options.theme);
  if (options.persist === false) url.searchParams.set('persist', '0');
  return url;
}

export function mount(element: HTMLElement, options: MountOptions): Workbench {
  const url = appUrl(options);
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
