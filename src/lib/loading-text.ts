/**
 * What the engine does before it can answer for saved results, in words: loading them
 * (after a reload: tens of seconds at scale) and preparing the dashboards' aggregates (on
 * the first dashboard shown after that). The engine badge and the Dashboards page say it.
 */
import { percent } from './run-summary.ts';

export interface Steps {
  done: number;
  total: number;
}

/** Loading saved results: `short` for the engine badge, else a sentence. */
export function restoreText(rows: Steps, short = false): string {
  if (short) return `saved results ${percent(rows)} %`;
  return `Loading the saved results into the engine: ${percent(rows)} % of ${rows.total.toLocaleString('en-US')} rows.`;
}

/** Preparing the dashboards, as a sentence. */
export function buildingText(steps: Steps): string {
  return `Preparing the dashboards for these results: step ${steps.done} of ${steps.total}. This is done once per results.`;
}
