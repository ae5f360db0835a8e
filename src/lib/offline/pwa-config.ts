/**
 * The PWA build settings (vite-plugin-pwa / Workbox), read by vite.config.ts: an
 * installable app (manifest, icons, theme colour) whose service worker precaches
 * every file of the build, the DuckDB `eh` wasm included, so it starts and runs offline.
 */
import type { VitePWAOptions } from 'vite-plugin-pwa';

/** The DuckDB eh wasm is about 34 MB: Workbox's default limit (2 MiB) would leave it out. */
const MAX_PRECACHED_BYTES = 40 * 1024 * 1024;

export const pwaOptions: Partial<VitePWAOptions> = {
  // A new version waits for the user's word (src/lib/offline/app-update.svelte.ts registers it).
  registerType: 'prompt',
  injectRegister: false,
  // The icons and the manifest are matched by globPatterns already: listed once.
  includeManifestIcons: false,
  manifest: {
    name: 'Retail Analytics Workbench',
    short_name: 'Retail Workbench',
    description: 'CRM and ERP exports to a star schema, KPIs and customer segments, entirely in your browser.',
    theme_color: '#0b5cad',
    background_color: '#f6f7f9',
    display: 'standalone',
    // Relative to the manifest: the app works from any sub-path.
    start_url: './',
    scope: './',
    icons: [
      { src: 'favicon.svg', sizes: 'any', type: 'image/svg+xml' },
      { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png' },
      { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png' },
      { src: 'icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
    ],
  },
  workbox: {
    globPatterns: ['**/*.{js,css,html,svg,png,wasm}'],
    // The host SDK is loaded by portals, not by the app.
    globIgnores: ['embed.js'],
    maximumFileSizeToCacheInBytes: MAX_PRECACHED_BYTES,
    navigateFallback: 'index.html',
    // The first version takes charge of the open page at once (the next ones wait for the user).
    clientsClaim: true,
    cleanupOutdatedCaches: true,
    // workbench.config.json (the embedding allow-list) is neither precached (not matched above)
    // nor cached at run time: a kept copy could still allow an origin the deployer removed.
  },
  devOptions: { enabled: false },
};
