/**
 * Which origins may talk to the embedded app. The deployer sets them in
 * `workbench.config.json` next to index.html; a URL parameter (`?origins=`) counts
 * only where that file allows it. Default: none but our own origin. The file is read
 * fresh at every start; when it cannot be read, the defaults apply (unknown = deny).
 */

export interface EmbedConfig {
  /** Origins of the portals allowed to drive the app, e.g. `https://intranet.example.com`. */
  allowedOrigins?: string[];
  /** Whether `?origins=a,b` in the app's URL may add origins (for trusted intranets only). */
  allowOriginsFromUrl?: boolean;
}

/** Exact origins (scheme://host[:port]); anything malformed is dropped. */
export function normaliseOrigins(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  const out: string[] = [];
  for (const item of list) {
    if (typeof item !== 'string') continue;
    try {
      const url = new URL(item);
      if ((url.protocol === 'https:' || url.protocol === 'http:') && url.origin !== 'null') out.push(url.origin);
    } catch {
      // not an origin: ignored
    }
  }
  return out;
}

/** @param search the app URL's query string (`?origins=` counts only when the config allows it) */
export function allowedOrigins(ownOrigin: string, config: EmbedConfig, search: string): ReadonlySet<string> {
  const origins = new Set([ownOrigin, ...normaliseOrigins(config.allowedOrigins)]);
  if (config.allowOriginsFromUrl === true) {
    const fromUrl = new URLSearchParams(search).get('origins') ?? '';
    for (const o of normaliseOrigins(fromUrl.split(',').filter(Boolean))) origins.add(o);
  }
  return origins;
}

/** How long the app waits for the deployer's config before it counts as unknown. */
export const CONFIG_TIMEOUT_MS = 10_000;

/**
 * What the app knows of the deployer's list: `read` (the file, or its absence: a 404),
 * or `unavailable` (offline, a network error, a timeout, a broken file) — unknown, so denied.
 */
export type ConfigState = 'read' | 'unavailable';

/**
 * Reads the deployer's config from our own origin, fresh from the network: no copy kept
 * by the browser or the service worker may stand in for it, since a stale copy could
 * still allow an origin the deployer removed. When it cannot be read, no portal is
 * allowed (the defaults: our own origin only). A missing file (404) means the defaults too.
 */
export async function loadEmbedConfig(
  url = './workbench.config.json', timeoutMs = CONFIG_TIMEOUT_MS,
): Promise<{ config: EmbedConfig; state: ConfigState }> {
  try {
    // A query string no earlier request had: no cache, whatever it is, holds an answer for it.
    const fresh = new URL(url, globalThis.location?.href);
    fresh.searchParams.set('fresh', `${Date.now()}-${Math.random().toString(36).slice(2)}`);
    const response = await fetch(fresh, { cache: 'no-store', credentials: 'same-origin', signal: AbortSignal.timeout(timeoutMs) });
    if (response.status === 404) return { config: {}, state: 'read' };
    if (!response.ok) return { config: {}, state: 'unavailable' };
    const json: unknown = await response.json();
    if (typeof json !== 'object' || json === null || Array.isArray(json)) return { config: {}, state: 'unavailable' };
    return { config: json as EmbedConfig, state: 'read' };
  } catch {
    return { config: {}, state: 'unavailable' };
  }
}
