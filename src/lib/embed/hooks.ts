/**
 * The app's answers to the embed bridge: KPIs under the host's filters, computed by
 * the dashboards' own KPI query, and any result table as CSV or Parquet bytes.
 */
import type { ExportFormat, Filters, Measure } from '../../embed/protocol.ts';
import { EXPORT_TYPES } from '../../exports/file-types.ts';
import { hasFilters, parseFilters } from '../../shared/filters.ts';
import { engineClient } from '../app-state.ts';
import type { EmbedHooks } from './bridge.svelte.ts';
import { paramsFromFilters } from './route-filters.ts';

/** The KPIs the cards show for these filters; null before the first good run. */
export async function filteredKpis(filters: Filters): Promise<Partial<Record<Measure, number>> | null> {
  const results = engineClient.results;
  if (!results) return null;
  // Read the way the dashboards read their URL: unknown names and malformed values drop out.
  const applied = parseFilters(paramsFromFilters(filters));
  // Nothing to filter: the run's own overview holds the same figures, with no query.
  if (!hasFilters(applied)) return results.kpis;
  // The executive page's call computes the KPI cards over the filtered base, values bound as parameters.
  const page = await engineClient.call((api) => api.dashboards.page({ page: 'executive', filters: applied, grain: 'month' }));
  return page.kpis;
}

/** A table of the current results (`gold.fact_sales`, `kpi.overview`, ...) as a file's bytes. */
export async function exportTable(table: string, format: ExportFormat): Promise<{ name: string; mimeType: string; data: ArrayBuffer }> {
  if (!engineClient.results) throw new Error('there are no results yet: load the six files and let the run finish');
  const file = await engineClient.call((api) => api.exports.table({ table, format }));
  return { name: file.name, mimeType: file.blob.type || EXPORT_TYPES[format], data: await file.blob.arrayBuffer() };
}

export const embedHooks: EmbedHooks = { kpis: filteredKpis, exportTable };
