/**
 * Charts saved from the console: the SQL and the chart choices, kept across reloads.
 * A saved chart runs its SQL again on the current results each time it is shown.
 */
import type { ConsoleOutcome } from '../../workers/engine.worker.ts';
import { engineClient } from '../engine-client.svelte.ts';
import type { ChartChoice } from './chart-spec.ts';
import { itemStore, loadItem, saveItem } from '../../storage/app-store.ts';
import { WORKBENCH_KEYS } from '../../storage/schema.ts';
import { embedSettings } from '../embed/embed-mode.ts';

/** An embed with persist=0 keeps nothing in the browser: this visit's items only. */
const items = itemStore(embedSettings.persist);

export interface SavedChart {
  id: string;
  title: string;
  sql: string;
  choice: ChartChoice;
  savedAt: number;
}

export class SavedCharts {
  list = $state.raw<SavedChart[]>([]);
  #loaded = false;

  async load(): Promise<void> {
    if (this.#loaded) return;
    this.list = await loadItem<SavedChart[]>(items, WORKBENCH_KEYS.charts, []);
    this.#loaded = true;
  }

  /** Saves a chart; false when the browser refused to store it. */
  async add(title: string, sql: string, choice: ChartChoice): Promise<boolean> {
    await this.load();
    const chart: SavedChart = { id: `c${Date.now().toString(36)}`, title: title.trim() || 'Untitled chart', sql, choice: { ...choice }, savedAt: Date.now() };
    this.list = [chart, ...this.list];
    return saveItem(items, WORKBENCH_KEYS.charts, this.list);
  }

  /** Runs a chart's SQL on the current results (as the console does: a write is never run unasked). */
  rows(chart: SavedChart): Promise<ConsoleOutcome> {
    return engineClient.job('console', `Chart ${chart.title}`, (api, jobId) => api.console.run(chart.sql, { jobId }) as Promise<ConsoleOutcome>);
  }

  async remove(id: string): Promise<void> {
    this.list = this.list.filter((c) => c.id !== id);
    await saveItem(items, WORKBENCH_KEYS.charts, this.list);
  }
}

export const savedCharts = new SavedCharts();
