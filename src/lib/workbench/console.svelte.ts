/**
 * The SQL console's state: tabs (kept across reloads), the query history (kept
 * across reloads), each tab's last good result and latest message, the pending
 * confirmation of a write, and the catalog for completion and the schema browser.
 */
import { tableFromIPC, type Table } from 'apache-arrow';
import type { CatalogTable, ColumnProfile, ColumnRef, ConsoleOutcome } from '../../workers/engine.worker.ts';
import { engineClient } from '../engine-client.svelte.ts';
import { lineColumn } from '../../sql/error-position.ts';
import { ResultReader, sortOrder } from './result-table.ts';
import { isQuery, planStatements } from '../../sql/guard.ts';
import { itemStore, loadItem, saveItem } from '../../storage/app-store.ts';
import { WORKBENCH_KEYS } from '../../storage/schema.ts';
import { embedSettings } from '../embed/embed-mode.ts';
import { errorText } from '../../shared/error-text.ts';

/** An embed with persist=0 keeps nothing in the browser: this visit's items only. */
const items = itemStore(embedSettings.persist);

export interface ConsoleTab {
  id: string;
  title: string;
  sql: string;
}

export interface HistoryEntry {
  sql: string;
  at: number;
  ok: boolean;
  rows?: number;
  ms?: number;
}

export interface TabResult {
  table: Table;
  rows: number;
  capped: boolean;
  elapsedMs: number;
  notes: string[];
  /** The SQL that made it (charts are saved with it). */
  sql: string;
  sort?: { column: number; descending: boolean };
  /** Display order of the rows when sorted here (small results); DuckDB sorts large ones. */
  order?: Uint32Array;
}

/** The latest message of a tab: an error (with its place), a refusal, or a cancel. */
export interface TabMessage {
  kind: 'error' | 'refused' | 'cancelled';
  text: string;
  /** Offset in the editor and its line/column, for errors DuckDB placed. */
  offset?: number;
  where?: string;
}

const HISTORY_MAX = 200;
/** Up to this many rows sort in the page; larger query results are sorted by DuckDB (much faster on text). */
const PAGE_SORT_MAX = 50_000;
const FIRST_SQL = 'select value_segment, count(*) as customers, sum(total_sales) as sales\nfrom segmentation.customer_segments\ngroup by all\norder by sales desc';

export class ConsoleState {
  tabs = $state<ConsoleTab[]>([{ id: 't1', title: 'Query 1', sql: FIRST_SQL }]);
  activeId = $state('t1');
  history = $state.raw<HistoryEntry[]>([]);
  results = $state.raw<Record<string, TabResult>>({});
  messages = $state.raw<Record<string, TabMessage>>({});
  /** Id of the tab whose statement is running. */
  running = $state<string | null>(null);
  /** Id of the tab whose result is being sorted. */
  sorting = $state<string | null>(null);
  /** Writes waiting for the user's yes or no. */
  confirm = $state.raw<{ tabId: string; text: string; offset: number; writes: string[] } | null>(null);
  catalog = $state.raw<CatalogTable[]>([]);
  functions = $state.raw<string[]>([]);
  loaded = $state(false);
  #saveTimer: ReturnType<typeof setTimeout> | undefined;
  #jobId: string | undefined;

  get active(): ConsoleTab {
    return this.tabs.find((t) => t.id === this.activeId) ?? this.tabs[0];
  }

  /** Loads tabs and history; safe to call more than once. */
  async load(): Promise<void> {
    if (this.loaded) return;
    const [tabs, history] = await Promise.all([
      loadItem<{ tabs: ConsoleTab[]; activeId: string } | null>(items, WORKBENCH_KEYS.tabs, null),
      loadItem<HistoryEntry[]>(items, WORKBENCH_KEYS.history, []),
    ]);
    if (tabs?.tabs.length) {
      this.tabs = tabs.tabs;
      this.activeId = tabs.tabs.some((t) => t.id === tabs.activeId) ? tabs.activeId : tabs.tabs[0].id;
    }
    this.history = history;
    this.loaded = true;
  }

  /** Saves the tabs a moment after the last keystroke. */
  saveTabs(): void {
    clearTimeout(this.#saveTimer);
    this.#saveTimer = setTimeout(() => {
      void saveItem(items, WORKBENCH_KEYS.tabs, { tabs: $state.snapshot(this.tabs), activeId: this.activeId });
    }, 400);
  }

  addTab(sql = ''): void {
    const n = Math.max(0, ...this.tabs.map((t) => Number(t.title.replace(/\D/g, '')) || 0)) + 1;
    const id = `t${Date.now().toString(36)}`;
    this.tabs.push({ id, title: `Query ${n}`, sql });
    this.activeId = id;
    this.saveTabs();
  }

  closeTab(id: string): void {
    if (this.tabs.length === 1) return;
    const i = this.tabs.findIndex((t) => t.id === id);
    this.tabs.splice(i, 1);
    if (this.activeId === id) this.activeId = this.tabs[Math.max(0, i - 1)].id;
    this.saveTabs();
  }

  /** Runs text of a tab (`offset`: where it starts in the editor); writes ask first. */
  async run(tabId: string, text: string, offset = 0, confirmed = false): Promise<void> {
    if (this.running) return;
    this.running = tabId;
    this.confirm = null;
    this.#message(tabId, undefined);
    let outcome: ConsoleOutcome;
    try {
      outcome = await this.#query(text, confirmed);
    } catch (e) {
      outcome = { kind: 'error', message: `The engine did not answer: ${errorText(e)}` };
    } finally {
      this.running = null;
    }
    const tab = this.tabs.find((t) => t.id === tabId);
    if (outcome.kind === 'confirm') {
      this.confirm = { tabId, text, offset, writes: outcome.writes };
      return;
    }
    if (outcome.kind === 'result') {
      // A capped result stops at a batch boundary: trim it to the cap (slicing copies nothing).
      const fetched = tableFromIPC(outcome.chunks);
      const table = outcome.capped ? fetched.slice(0, outcome.maxRows) : fetched;
      this.#setResult(tabId, { table, rows: table.numRows, capped: outcome.capped, elapsedMs: outcome.elapsedMs, notes: outcome.notes, sql: text });
      this.#remember({ sql: text, at: Date.now(), ok: true, rows: outcome.rows, ms: Math.round(outcome.elapsedMs) });
      if (outcome.wroteScratch) void this.refreshCatalog();
    } else if (outcome.kind === 'error') {
      const at = outcome.offset === undefined ? undefined : offset + outcome.offset;
      const where = at === undefined || !tab ? undefined : lineColumn(tab.sql, at);
      this.#message(tabId, { kind: 'error', text: outcome.message, offset: at, where: where && `line ${where.line}, column ${where.column}` });
      this.#remember({ sql: text, at: Date.now(), ok: false });
    } else if (outcome.kind === 'refused') {
      const text = outcome.reasons.map((r) => `${r.statement.split('\n')[0].slice(0, 60)} — ${r.reason}`).join('\n');
      this.#message(tabId, { kind: 'refused', text });
    } else {
      this.#message(tabId, { kind: 'cancelled', text: `Cancelled after ${(outcome.elapsedMs / 1000).toFixed(1)} s. Nothing was changed.` });
    }
  }

  /** Sorts a tab's result by a column (again: the other way round). */
  async sort(tabId: string, column: number): Promise<void> {
    const result = this.results[tabId];
    if (!result || this.running || this.sorting) return;
    const descending = result.sort?.column === column ? !result.sort.descending : false;
    const { plans } = planStatements(result.sql);
    const query = plans.length === 1 && isQuery(plans[0].statement) ? plans[0].statement.text : undefined;
    this.sorting = tabId;
    try {
      if (result.rows <= PAGE_SORT_MAX || !query) {
        // Let the "sorting" notice paint first.
        await new Promise((resolve) => setTimeout(resolve, 0));
        const order = sortOrder(new ResultReader(result.table), column, descending);
        this.#setResult(tabId, { ...result, sort: { column, descending }, order });
        return;
      }
      const sorted = `select * from (\n${query}\n) order by ${column + 1} ${descending ? 'desc' : 'asc'} nulls last`;
      const outcome = await this.#query(sorted);
      if (outcome.kind === 'result') {
        const fetched = tableFromIPC(outcome.chunks);
        const table = outcome.capped ? fetched.slice(0, outcome.maxRows) : fetched;
        this.#setResult(tabId, { ...result, table, rows: table.numRows, capped: outcome.capped, sort: { column, descending }, order: undefined });
      } else {
        this.#message(tabId, { kind: 'error', text: `The result could not be sorted: ${outcome.kind === 'error' ? outcome.message : outcome.kind}` });
      }
    } finally {
      this.sorting = null;
    }
  }

  #setResult(tabId: string, result: TabResult): void {
    this.results = { ...this.results, [tabId]: result };
  }

  /** Runs the writes the user agreed to. */
  async confirmWrites(): Promise<void> {
    const c = this.confirm;
    if (c) await this.run(c.tabId, c.text, c.offset, true);
  }

  cancel(): void {
    if ((this.running || this.sorting) && this.#jobId) engineClient.cancel(this.#jobId);
  }

  /** Runs console text in the worker, as a job that `cancel` reaches. */
  #query(text: string, confirmed = false): Promise<ConsoleOutcome> {
    return engineClient.job('console', 'Console query', (api, jobId) => {
      this.#jobId = jobId;
      return api.console.run(text, { confirmed, jobId }) as Promise<ConsoleOutcome>;
    });
  }

  /** The profile of one column, for the schema browser. */
  profileColumn(ref: ColumnRef): Promise<ColumnProfile> {
    return engineClient.call((api) => api.console.profileColumn(ref));
  }

  async refreshCatalog(): Promise<void> {
    try {
      const [catalog, functions] = await Promise.all([
        engineClient.call((api) => api.console.catalog()),
        this.functions.length ? Promise.resolve(this.functions) : engineClient.call((api) => api.console.functionNames()),
      ]);
      this.catalog = catalog;
      this.functions = functions;
    } catch {
      // Completion and the browser stay as they were; the console still runs.
    }
  }

  async clearHistory(): Promise<void> {
    this.history = [];
    await saveItem(items, WORKBENCH_KEYS.history, []);
  }

  #message(tabId: string, message: TabMessage | undefined): void {
    const next = { ...this.messages };
    if (message) next[tabId] = message;
    else delete next[tabId];
    this.messages = next;
  }

  #remember(entry: HistoryEntry): void {
    const rest = this.history.filter((h) => h.sql !== entry.sql);
    this.history = [entry, ...rest].slice(0, HISTORY_MAX);
    void saveItem(items, WORKBENCH_KEYS.history, this.history);
  }
}

/** The app's one console (its tabs and results live as long as the page). */
export const sqlConsole = new ConsoleState();
