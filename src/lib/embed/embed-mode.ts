/**
 * Embed mode, read once from the app's own URL (not the hash):
 * `?embed&page=dashboards/executive&filters=country%3DGermany&theme=dark&persist=0`.
 */
import type { ThemePreference } from '../theme.svelte.ts';

export interface EmbedSettings {
  /** True inside a portal: no header, no footer, one page. */
  embed: boolean;
  /** The page to show, e.g. `data`, `run`, `dashboards/executive`. */
  page?: string;
  /** Initial dashboard filters, as the dashboards' URL query string. */
  filters?: string;
  theme: ThemePreference;
  /** Whether results are kept in this browser's storage (default yes). */
  persist: boolean;
}

export function readEmbedSettings(search: string): EmbedSettings {
  const params = new URLSearchParams(search);
  const theme = params.get('theme');
  return {
    embed: params.has('embed') && params.get('embed') !== '0',
    page: params.get('page') ?? undefined,
    filters: params.get('filters') ?? undefined,
    theme: theme === 'light' || theme === 'dark' ? theme : 'auto',
    persist: params.get('persist') !== '0',
  };
}

export const embedSettings: EmbedSettings = readEmbedSettings(location.search);
