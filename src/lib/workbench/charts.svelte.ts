/**
 * Charts saved from the console: the SQL and the chart choices, kept across reloads.
 * A saved chart runs its SQL again on the current results each time it is shown.
 */
import type { ChartChoice } from './chart-spec.ts';
import { loadSaved, saveValue, WORKBENCH_KEYS } from './store.ts';

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
    this.list = await loadSaved<SavedChart[]>(WORKBENCH_KEYS.charts, []);
    this.#loaded = true;
  }

  /** Saves a chart; false when the browser refused to store it. */
  async add(title: string, sql: string, choice: ChartChoice): Promise<boolean> {
    await this.load();
    const chart: SavedChart = { id: `c${Date.now().toString(36)}`, title: title.trim() || 'Untitled chart', sql, choice: { ...choice }, savedAt: Date.now() };
    this.list = [chart, ...this.list];
    return saveValue(WORKBENCH_KEYS.charts, this.list);
  }

  async remove(id: string): Promise<void> {
    this.list = this.list.filter((c) => c.id !== id);
    await saveValue(WORKBENCH_KEYS.charts, this.list);
  }
}

export const savedCharts = new SavedCharts();
