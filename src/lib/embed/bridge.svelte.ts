/**
 * The app's side of the postMessage API (docs/embedding.md): accepts host messages
 * only from allowed origins (src/embed/allow-list.ts), and tells the host about
 * runs, KPIs, filters, errors and its content height.
 */
import { allowedOrigins, loadEmbedConfig } from '../../embed/allow-list.ts';
import {
  isHostMessage, readExportRequest, readFilters, versioned, type AppMessage, type ExportFormat, type Filters, type HostMessage, type Measure,
} from '../../embed/protocol.ts';
import { DIMENSIONS } from '../../shared/filters.ts';
import { engineClient, router, inputFiles, startRun } from '../app-state.ts';
import { PAGES } from '../router.svelte.ts';
import { filtersFromParams, paramsFromFilters, parsePage } from './route-filters.ts';
import { errorText } from '../../shared/error-text.ts';

export { parsePage } from './route-filters.ts';

const MEASURES: Measure[] = ['total_sales', 'total_units', 'total_orders', 'total_customers', 'avg_order_value', 'avg_unit_price'];
/** The filters a host may set: the dashboards' slicers and the date range (src/shared/filters.ts). */
const FILTER_NAMES: readonly string[] = ['from', 'to', ...DIMENSIONS.map((d) => d.key)];

/** What the bridge asks of the app (src/lib/embed/hooks.ts): the engine's figures and files. */
export interface EmbedHooks {
  /** The KPIs under the given filters (the overview when there are none). */
  kpis(filters: Filters): Promise<Partial<Record<Measure, number>> | null>;
  /** A table of the current results as a file. */
  exportTable(table: string, format: ExportFormat): Promise<{ name: string; mimeType: string; data: ArrayBuffer }>;
}

export class EmbedBridge {
  /** Replaced whole once the config is read; never mutated, so it need not be reactive. */
  #allowed: ReadonlySet<string> = allowedOrigins(location.origin, {}, location.search);
  #configured: Promise<void>;
  #hooks: EmbedHooks;
  /** Counts KPI requests: only the answer to the latest one is sent (answers may overtake each other). */
  #kpiRequest = 0;

  constructor(hooks: EmbedHooks) {
    this.#hooks = hooks;
    this.#configured = loadEmbedConfig().then(({ config, state }) => {
      this.#allowed = allowedOrigins(location.origin, config, location.search);
      // Whether the deployer's list could be read (`unavailable`: only our own origin is allowed).
      document.documentElement.dataset.allowList = state;
    });
  }

  /** Starts listening and reporting; returns a function that stops it all. */
  start(): () => void {
    const onMessage = (event: MessageEvent) => void this.#receive(event);
    window.addEventListener('message', onMessage);
    let stopEffects = () => {};
    const resize = new ResizeObserver(() => this.#send({ type: 'workbench:resize', height: document.documentElement.scrollHeight }));
    // Nothing is said before the allow-list is known.
    void this.#configured.then(() => {
      this.#send({ type: 'workbench:ready', pages: PAGES.map((p) => p.id) });
      stopEffects = $effect.root(() => this.#report());
      resize.observe(document.body);
    });
    return () => {
      window.removeEventListener('message', onMessage);
      stopEffects();
      resize.disconnect();
    };
  }

  async #receive(event: MessageEvent): Promise<void> {
    if (window.parent === window || event.source !== window.parent) return;
    await this.#configured;
    if (!isHostMessage(event.data)) return;
    if (!this.#allowed.has(event.origin)) {
      // Said in the console only (never to the sender): a deployer sees why a portal gets no answer.
      console.warn(`The workbench ignored ${event.data.type} from ${event.origin}: that origin is not in allowedOrigins (workbench.config.json).`);
      return;
    }
    try {
      await this.#handle(event.data, event.origin);
    } catch (e) {
      const id: unknown = event.data.type === 'workbench:export' ? event.data.requestId : undefined;
      const requestId = typeof id === 'string' ? id : undefined;
      this.#send({ type: 'workbench:error', message: errorText(e), requestId }, event.origin);
    }
  }

  async #handle(message: HostMessage, origin: string): Promise<void> {
    switch (message.type) {
      case 'workbench:load-files': {
        if (!Array.isArray(message.files)) throw new Error('load-files needs { files: [{ name, data }] }');
        const picked = message.files.map((f) => {
          if (typeof f?.name !== 'string' || !(f.data instanceof ArrayBuffer)) throw new Error('each file needs a name and an ArrayBuffer');
          const file = new File([f.data], f.name, { type: 'text/csv' });
          return { file, path: f.name };
        });
        // The run starts on its own once the six files are in (as after a drop).
        await inputFiles.replace(picked);
        return;
      }
      case 'workbench:run':
        if (!inputFiles.ready) throw new Error(inputFiles.problems.join('; ') || 'load the six files first');
        startRun();
        return;
      case 'workbench:set-filters':
        router.setParams(paramsFromFilters(readFilters(message.filters, FILTER_NAMES)));
        return;
      case 'workbench:set-page': {
        const page = parsePage(String(message.page));
        if (!page) throw new Error(`no page ${message.page}; pages: ${PAGES.map((p) => p.id).join(', ')}`);
        router.go(page.id, page.sub);
        return;
      }
      case 'workbench:export': {
        const { requestId, table, format } = readExportRequest(message);
        const file = await this.#hooks.exportTable(table, format);
        this.#send({ type: 'workbench:export-result', requestId, ...file }, origin, [file.data]);
        return;
      }
    }
  }

  /** Effects that tell the host what changed. */
  #report(): void {
    // The filters belong to the host's view, not to one page: a page change (by the host, by a
    // run starting, or by the user) would drop them from the route, so they are put back.
    // First of the effects, so the others never see the route without them.
    let shown = `${router.page}/${router.sub}`;
    let kept = router.params;
    $effect(() => {
      const page = `${router.page}/${router.sub}`;
      const params = router.params;
      if (page !== shown && params.size === 0 && kept.size > 0) router.setParams(kept);
      else kept = params;
      shown = page;
    });
    $effect(() => {
      const state = engineClient.runStatus;
      const task = engineClient.report?.tasks.find((t) => t.state === 'running')?.id;
      this.#send({ type: 'workbench:run-status', state, task });
    });
    $effect(() => {
      const error = engineClient.runStatus === 'failed' ? engineClient.report?.error : undefined;
      if (error) this.#send({ type: 'workbench:error', message: error });
    });
    $effect(() => {
      const filters = filtersFromParams(router.params);
      this.#send({ type: 'workbench:filters-changed', filters });
    });
    $effect(() => {
      // The KPIs sent before are gone with the engine that held them: the host hears why.
      const lost = engineClient.resultsLost;
      if (lost) this.#send({ type: 'workbench:error', message: lost });
    });
    $effect(() => {
      const filters = filtersFromParams(router.params);
      if (!engineClient.results) return;
      const request = ++this.#kpiRequest;
      void this.#hooks.kpis(filters).then(
        (kpis) => {
          if (kpis && request === this.#kpiRequest) this.#send({ type: 'workbench:kpis', kpis: pick(kpis), filters });
        },
        (e: unknown) => {
          if (request === this.#kpiRequest) this.#send({ type: 'workbench:error', message: `the KPIs could not be computed: ${errorText(e)}` });
        },
      );
    });
  }

  /** Posts to the host page, only if its origin is allowed: our data never goes anywhere else. */
  #send(message: AppMessage, origin = parentOrigin(), transfer: Transferable[] = []): void {
    if (window.parent === window || !origin || !this.#allowed.has(origin)) return;
    window.parent.postMessage(versioned(message), origin, transfer);
  }
}

/** The embedding page's origin: Chromium tells it exactly; elsewhere the referrer's origin. */
function parentOrigin(): string | undefined {
  const ancestors = (location as Location & { ancestorOrigins?: DOMStringList }).ancestorOrigins;
  if (ancestors?.length) return ancestors[0];
  try {
    return document.referrer ? new URL(document.referrer).origin : undefined;
  } catch {
    return undefined;
  }
}

function pick(kpis: Partial<Record<Measure, number>>): Partial<Record<Measure, number>> {
  return Object.fromEntries(MEASURES.filter((m) => kpis[m] !== undefined).map((m) => [m, kpis[m]]));
}
