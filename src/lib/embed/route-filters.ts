/** Between the protocol's filters and pages and the app's route (src/lib/router.svelte.ts). */
import type { Filters } from '../../embed/protocol.ts';
import { PAGES, type PageId } from '../router.svelte.ts';

/** The dashboards' filters live in the route's query string: `country=Germany&country=France`. */
export function filtersFromParams(params: URLSearchParams): Filters {
  const filters: Filters = {};
  for (const [key, value] of params) (filters[key] ??= []).push(value);
  return filters;
}

export function paramsFromFilters(filters: Filters): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, values] of Object.entries(filters)) {
    for (const value of Array.isArray(values) ? values : []) if (typeof value === 'string') params.append(key, value);
  }
  return params;
}

/** Parses `dashboards/executive` into a route; unknown pages are refused. */
export function parsePage(page: string): { id: PageId; sub: string } | undefined {
  const [id, ...rest] = page.replace(/^[#/]+/, '').split('/');
  const known = PAGES.find((p) => p.id === id);
  return known ? { id: known.id, sub: rest.join('/') } : undefined;
}

