/**
 * Keeps the dashboards' first paint (../../storage/dashboard-paint.ts) for the results in
 * the store: once they are saved, every page without filters, the filter choices and
 * the insights; then the views shown last, so that a reload shows them at once too.
 * Written only by the tab that owns the store, keyed by the saved results' generation.
 */
import type { WasmEngine } from '../../duckdb/wasm-engine.ts';
import { DASHBOARD_PAGES } from '../../shared/dashboard-pages.ts';
import { NO_FILTERS } from '../../shared/filters.ts';
import { readPaint, savePaint, viewKey, type DashboardPaint, type PaintedView } from '../../storage/dashboard-paint.ts';
import type { KvStore } from '../../storage/kv.ts';
import type { ResultsManifest } from '../../storage/schema.ts';
import { workerStore } from '../storage/worker-store.ts';
import { onNewResults, onResultsStored } from '../engine-access.ts';
import { queryInsightFigures, queryOptions } from './options.ts';
import { queryPage, type PageData, type PageRequest } from './pages.ts';

/** Views shown last that are kept besides the pages without filters. */
const RECENT_VIEWS = 8;

/** The paint of the results in the engine, as last written (undefined: those results are not the store's). */
let paint: DashboardPaint | undefined;
let base: PaintedView[] = [];
let recent: PaintedView[] = [];
let pending: ReturnType<typeof setTimeout> | undefined;

/** New results in the engine: until they are saved, no view of them goes to the store. */
function forget(): void {
  clearTimeout(pending);
  paint = undefined;
  base = [];
  recent = [];
}

onNewResults(forget);

onResultsStored(async (manifest: ResultsManifest, kv: KvStore, e: WasmEngine, saved: boolean) => {
  forget();
  if (!saved) {
    // Restored: the paint in the store is this generation's; shown views are added to it from now on.
    const stored = await readPaint(kv);
    if (stored?.generation === manifest.generation) {
      paint = stored;
      base = stored.views.slice(0, DASHBOARD_PAGES.length);
      recent = stored.views.slice(DASHBOARD_PAGES.length);
    }
    return;
  }
  base = [];
  for (const { id } of DASHBOARD_PAGES) {
    const req: PageRequest = { page: id, filters: NO_FILTERS, grain: 'month' };
    base.push({ key: viewKey(id, req.filters, req.grain), data: await queryPage(e, req) });
  }
  paint = {
    generation: manifest.generation,
    runId: manifest.runId,
    startedAt: manifest.report.startedAt,
    options: await queryOptions(e),
    insights: await queryInsightFigures(e),
    views: base,
  };
  await savePaint(kv, paint);
});

/** Notes a view the page showed; the paint is written again shortly after (once for a burst of changes). */
export function noteShown(req: PageRequest, data: PageData): void {
  const kv = workerStore.forWriting;
  if (!paint || !kv) return;
  const key = viewKey(req.page, req.filters, req.grain);
  if (base.some((v) => v.key === key)) return;
  recent = [{ key, data }, ...recent.filter((v) => v.key !== key)].slice(0, RECENT_VIEWS);
  clearTimeout(pending);
  pending = setTimeout(() => {
    if (!paint) return;
    paint = { ...paint, views: [...base, ...recent] };
    void savePaint(kv, paint).catch(() => undefined);
  }, 500);
}
