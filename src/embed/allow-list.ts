/**
 * Which origins may talk to the embedded app. The deployer sets them in
 * `workbench.config.json` next to index.html; a URL parameter (`?origins=`) counts
 * only where that file allows it. Default: none but our own origin.
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

/** Reads the deployer's config from our own origin; a missing or broken file means the defaults. */
export async function loadEmbedConfig(url = './workbench.config.json'): Promise<EmbedConfig> {
  try {
    const response = await fetch(url, { cache: 'no-cache', credentials: 'same-origin' });
    if (!response.ok) return {};
    const json: unknown = await response.json();
    return typeof json === 'object' && json !== null ? (json as EmbedConfig) : {};
  } catch {
    return {};
  }
}
