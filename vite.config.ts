import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';
import { VitePWA } from 'vite-plugin-pwa';
import { pwaOptions } from './src/lib/offline/pwa-config.ts';

const blocking = fileURLToPath(new URL('./node_modules/@duckdb/duckdb-wasm/dist/duckdb-browser-blocking.mjs', import.meta.url));

export default defineConfig({
  // Relative base: the built site works from any sub-path of any static host.
  base: './',
  publicDir: 'static',
  plugins: [svelte(), VitePWA(pwaOptions)],
  resolve: {
    // The synchronous browser bindings are not in the package's exports map.
    alias: { 'duckdb-browser-blocking': blocking },
  },
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 2048 },
  server: { fs: { allow: ['.', '../shared'] } },
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/models/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
