/** The dashboards' state for the whole visit: it outlives page changes, so going back is instant. */
import { engineClient } from '../engine-client.svelte.ts';
import { Dashboard } from './dashboard.svelte.ts';

export const dashboard = new Dashboard(engineClient);

let lastParams = new URLSearchParams();

/** Keeps the dashboards' query (filters, time grain) for the next visit to the bare Dashboards link. */
export function rememberParams(params: URLSearchParams): void {
  lastParams = new URLSearchParams(params);
}

export function rememberedParams(): URLSearchParams {
  return new URLSearchParams(lastParams);
}
