/**
 * What the dashboards show first after a reload, before the engine has started: the
 * figures of a few dashboard views (every page without filters, and the views shown
 * last), the filter choices and the insight figures, computed by the engine from the
 * saved results. Kept under `paint/<generation>`, the generation of the saved results
 * they were computed from, and read only while that generation is the current one: they
 * never disagree with the saved tables. The `paint/` keyspace is this module's alone: the
 * results' layout (schema.ts, results.ts) does not know it, and losing it loses no result.
 */
import type { KvStore } from './kv.ts';
import { KEYS, type ResultsManifest } from './schema.ts';

/** Every key of the paint starts with this (one key per results generation, at most one kept). */
export const PAINT_PREFIX = 'paint/';

/** One dashboard view's data (the engine's answer, as plain rows). */
export interface PaintedView {
  /** The view: page, filters and time grain, in the form of `viewKey`. */
  key: string;
  data: { page: string; kpis: Record<string, number> | null; charts: Record<string, Record<string, unknown>[]> };
}

export interface DashboardPaint {
  generation: string;
  runId: string;
  /** When the run started (the dashboards say "from the last good run of …"). */
  startedAt: number;
  /** The filter choices and the insight figures, as the engine gave them. */
  options: unknown;
  insights: unknown;
  views: PaintedView[];
}

export const paintKey = (generation: string) => `${PAINT_PREFIX}${generation}`;

/** A view's key: the page, then the filters and time grain as the engine reads them (plain JSON). */
export function viewKey(page: string, filters: unknown, grain: string): string {
  return JSON.stringify([page, filters, grain]);
}

/**
 * Saves `paint` if its generation is still the current one (else nothing is written)
 * and drops the paint of every other generation, in one transaction.
 */
export async function savePaint(kv: KvStore, paint: DashboardPaint): Promise<boolean> {
  return kv.write(async (tx) => {
    const current = await tx.get<ResultsManifest>(KEYS.current);
    for (const key of await tx.keys(PAINT_PREFIX)) if (key !== paintKey(paint.generation)) tx.delete(key);
    if (current?.generation !== paint.generation) return false;
    tx.put(paintKey(paint.generation), paint);
    return true;
  });
}

/** The paint of the current saved results, if there is one (one read-only transaction). */
export async function readPaint(kv: KvStore): Promise<DashboardPaint | undefined> {
  return kv.read(async (tx) => {
    const current = await tx.get<ResultsManifest>(KEYS.current);
    return current ? tx.get<DashboardPaint>(paintKey(current.generation)) : undefined;
  });
}
