/**
 * The dashboards' state: the filter options and insight figures of the current
 * results, and the data of the page on screen. A filter change is one worker call;
 * changes made while a call is under way are merged into the next one, and a failed
 * call keeps the figures already shown.
 */
import { untrack } from 'svelte';
import type { EngineClient } from '../engine-client.svelte.ts';
import type { FilterOptions, InsightFigure } from '../../workers/engine.worker.ts';
import type { PageData, PageRequest } from '../../workers/engine.worker.ts';
import { errorText } from '../../shared/error-text.ts';


export class Dashboard {
  /** Values each filter offers (null until loaded). */
  options = $state.raw<FilterOptions | null>(null);
  /** Figures behind the insight sentences (null until loaded). */
  insights = $state.raw<InsightFigure[] | null>(null);
  /** The last data received for the page on screen. */
  data = $state.raw<PageData | null>(null);
  /** True from a change until its data has arrived. */
  pending = $state(false);
  /** Why the last request failed, in words (the previous figures stay). */
  error = $state<string>();
  /** How long the engine took to answer the last change, ms (its round trip). */
  lastMs = $state<number>();

  #client: EngineClient;
  #results: string | undefined;
  #busy = false;
  #next: PageRequest | null = null;

  constructor(client: EngineClient) {
    this.#client = client;
  }

  /** Shows `req` for the results of run `runId`; call on every change. */
  show(req: PageRequest, runId: string): void {
    // Called from effects: reading this state here must not make them depend on it.
    untrack(() => {
      if (runId !== this.#results) {
        this.#results = runId;
        this.options = null;
        this.insights = null;
        this.data = null;
      }
      if (this.data && this.data.page !== req.page) this.data = null;
      this.pending = true;
      // Plain data only: comlink copies it (a Svelte state proxy cannot be cloned).
      this.#next = JSON.parse(JSON.stringify(req)) as PageRequest;
      if (!this.#busy) void this.#drain(runId);
    });
  }

  /** Asks again for the page on screen (after an error). */
  retry(req: PageRequest): void {
    if (this.#results) this.show(req, this.#results);
  }

  async #drain(runId: string): Promise<void> {
    this.#busy = true;
    try {
      while (this.#next) {
        const req = this.#next;
        this.#next = null;
        try {
          const started = performance.now();
          const data = await this.#client.call((api) => api.dashboards.page(req));
          if (this.#results !== runId) return;
          this.lastMs = performance.now() - started;
          this.data = data;
          this.error = undefined;
        } catch (e) {
          this.error = `The dashboard could not be updated: ${errorText(e)}.`;
        }
      }
      this.pending = false;
      // The page first; then what the filter bar and the insights need (the base is built by now).
      if (!this.options) await this.#loadOptions(runId);
      if (!this.insights) await this.#loadInsights(runId);
    } finally {
      this.#busy = false;
      // A change (or new results) arrived meanwhile: serve the latest request.
      if (this.#next) void this.#drain(this.#results ?? runId);
    }
  }

  async #loadOptions(runId: string): Promise<void> {
    try {
      const options = await this.#client.call((api) => api.dashboards.options());
      if (this.#results === runId) this.options = options;
    } catch (e) {
      this.error = `The filter choices could not be loaded: ${errorText(e)}.`;
    }
  }

  async #loadInsights(runId: string): Promise<void> {
    try {
      const figures = await this.#client.call((api) => api.dashboards.insights());
      if (this.#results === runId) this.insights = figures;
    } catch {
      // Insights are a bonus: without them the page still works; the list says so.
      if (this.#results === runId) this.insights = [];
    }
  }
}
