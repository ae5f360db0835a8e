/**
 * The dashboards' state: the filter options and insight figures of the current
 * results, and the data of the page on screen. A filter change is one worker call;
 * changes made while a call is under way are merged into the next one, and a failed
 * call keeps the figures already shown. Before the engine has its results, the views
 * saved with them (the paint) are shown; the engine's answers replace them, and when
 * the results are not those of the paint, nothing of it stays. The worker says when it
 * has prepared the statements of the states one step away (`ahead`).
 */
import * as Comlink from 'comlink';
import { untrack } from 'svelte';
import type { EngineClient } from '../engine-client.svelte.ts';
import type { FilterOptions, InsightFigure } from '../../workers/engine.worker.ts';
import type { PageData, PageRequest, PreparedAhead } from '../../workers/engine.worker.ts';
import { errorText } from '../../shared/error-text.ts';
import { viewKey, type DashboardPaint } from '../../storage/dashboard-paint.ts';


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
  /**
   * The worker's preparing ahead for the last request: `pending` until the statements of
   * the states one step away are prepared (`done`) or the round stopped (`stopped`).
   */
  ahead = $state<'pending' | 'done' | 'stopped'>();
  /** While the engine builds the aggregates for the page's call: steps done, of all (null otherwise). */
  building = $state.raw<{ done: number; total: number } | null>(null);
  /** The saved views of the last saved results, until the engine answers for its results. */
  paint = $state.raw<DashboardPaint | null>(null);

  #client: EngineClient;
  #results: string | undefined;
  /** The options and insights shown came from the paint: the engine's are loaded all the same. */
  #fromPaint = false;
  #busy = false;
  #next: PageRequest | null = null;
  /** Requests sent so far: a round's outcome counts only for the last one. */
  #sent = 0;

  constructor(client: EngineClient) {
    this.#client = client;
  }

  /** Takes the saved views read on load, unless the engine already answers. */
  usePaint(paint: DashboardPaint | undefined): void {
    untrack(() => {
      if (paint && this.#results === undefined) this.paint = paint;
    });
  }

  /** The saved view of `req`, if the paint has it. */
  #painted(req: PageRequest): PageData | null {
    const key = viewKey(req.page, JSON.parse(JSON.stringify(req.filters)), req.grain);
    return (this.paint?.views.find((v) => v.key === key)?.data as PageData | undefined) ?? null;
  }

  /** Shows `req` from the paint, before the engine has results: no worker call. */
  showPainted(req: PageRequest): void {
    untrack(() => {
      if (!this.paint || this.#results !== undefined) return;
      this.options = this.paint.options as FilterOptions;
      this.insights = this.paint.insights as InsightFigure[];
      this.data = this.#painted(req);
      this.pending = this.data === null;
    });
  }

  /** Shows `req` for the results of run `runId`; call on every change. */
  show(req: PageRequest, runId: string): void {
    // Called from effects: reading this state here must not make them depend on it.
    untrack(() => {
      if (runId !== this.#results) {
        this.#results = runId;
        // The paint of these very results stays on screen until the engine's answer replaces it.
        const paint = this.paint?.runId === runId ? this.paint : null;
        this.options = (paint?.options as FilterOptions | undefined) ?? null;
        this.insights = (paint?.insights as InsightFigure[] | undefined) ?? null;
        this.data = paint ? this.#painted(req) : null;
        this.#fromPaint = paint !== null;
        this.paint = null;
      }
      if (this.data && this.data.page !== req.page) this.data = null;
      // User timing marks (read by bench/dashboards.ts): where an interaction's time goes.
      // Bounded, so a long session does not grow the timeline without end.
      clearDashboardMarks();
      performance.mark('dash:show');
      this.pending = true;
      this.ahead = 'pending';
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
          performance.mark('dash:send', { detail: { at: performance.timeOrigin + started } });
          const sent = ++this.#sent;
          const onPreparedAhead = Comlink.proxy((outcome: PreparedAhead) => this.#preparedAhead(sent, outcome));
          // Progress comes on a port of its own: a report that arrives after the answer must not bring it back.
          let settled = false;
          const onBuilding = Comlink.proxy((done: number, total: number) => {
            if (!settled) this.building = { done, total };
          });
          const data = await this.#client.call((api) => api.dashboards.page(req, onPreparedAhead, onBuilding)).finally(() => {
            settled = true;
            this.building = null;
          });
          performance.mark('dash:arrive', { detail: { at: performance.timeOrigin + performance.now(), ...data.timing } });
          if (this.#results !== runId) return;
          this.lastMs = performance.now() - started;
          this.data = data;
          this.error = undefined;
        } catch (e) {
          this.error = `The dashboard could not be updated: ${errorText(e)}.`;
          if (this.#next === null) this.ahead = 'stopped';
        }
      }
      this.pending = false;
      // The page first; then what the filter bar and the insights need (the base is built by now).
      const fromPaint = this.#fromPaint;
      this.#fromPaint = false;
      if (!this.options || fromPaint) await this.#loadOptions(runId);
      if (!this.insights || fromPaint) await this.#loadInsights(runId);
    } finally {
      this.#busy = false;
      // A change (or new results) arrived meanwhile: serve the latest request.
      if (this.#next) void this.#drain(this.#results ?? runId);
    }
  }

  /** The worker's round for request `sent` ended; a user timing mark says so too (read by bench/dashboards.ts). */
  #preparedAhead(sent: number, outcome: PreparedAhead): void {
    if (sent !== this.#sent || this.#next !== null) return;
    performance.mark('dash:prepared', { detail: outcome });
    this.ahead = outcome.complete ? 'done' : 'stopped';
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

/** Drops the `dash:*` marks once there are more than a few hundred changes' worth. */
function clearDashboardMarks(): void {
  const marks = performance.getEntriesByType('mark').filter((m) => m.name.startsWith('dash:'));
  if (marks.length < 2000) return;
  for (const name of new Set(marks.map((m) => m.name))) performance.clearMarks(name);
}
