/**
 * The dashboards' state for the whole visit: it outlives page changes, so going back is
 * instant. On load, the views saved with the last results are read at once (IndexedDB,
 * no engine needed), so a reload shows figures while the engine starts.
 */
import { recordStore } from '../../storage/app-store.ts';
import { readPaint } from '../../storage/dashboard-paint.ts';
import { embedSettings } from '../embed/embed-mode.ts';
import { engineClient } from '../engine-client.svelte.ts';
import { Dashboard } from './dashboard.svelte.ts';

export const dashboard = new Dashboard(engineClient);

const store = embedSettings.persist ? recordStore() : null;
if (store) void readPaint(store).then((paint) => dashboard.usePaint(paint), () => undefined);

let lastParams = new URLSearchParams();

/** Keeps the dashboards' query (filters, time grain) for the next visit to the bare Dashboards link. */
export function rememberParams(params: URLSearchParams): void {
  lastParams = new URLSearchParams(params);
}

export function rememberedParams(): URLSearchParams {
  return new URLSearchParams(lastParams);
}
