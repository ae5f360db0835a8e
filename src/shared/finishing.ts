/**
 * What a successful run still does after its last task, before it reports success: the
 * dashboards' aggregates are built and the results are saved, side by side
 * (../workers/engine-access.ts). At scale this takes a fifth of the run, so the page
 * shows how far each part is. A part not yet heard from is absent.
 */
export interface FinishingProgress {
  /** Statements of the aggregates' build done, of all. */
  dashboards?: { done: number; total: number };
  /** Rows of the saved tables written, of all. */
  save?: { done: number; total: number };
}

export type FinishingPart = keyof FinishingProgress;
