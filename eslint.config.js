// Flat config: JS + TypeScript + Svelte recommended rules, browser and Node globals.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

export default defineConfig(
  { ignores: ['dist/', 'node_modules/', 'out/', 'test-results/', '.vite/', 'bench/.data/'] },
  js.configs.recommended,
  ts.configs.recommended,
  svelte.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: { ...globals.browser, ...globals.node },
    },
  },
  {
    // <script lang="ts"> in components, and runes in *.svelte.ts modules.
    files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
    languageOptions: {
      parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'], svelteConfig },
    },
  },
  {
    rules: {
      // `_` marks a value left out on purpose (e.g. rest destructuring).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Code that runs in the engine's worker or in Node never reaches into the page.
    files: ['src/**/*.ts'],
    ignores: ['src/lib/**', 'src/main.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [
          { regex: '(^|/)lib/', message: 'src/lib/ is the page: worker, Node and shared code must not import it.' },
          { regex: '^svelte(/|$)|\\.svelte(\\.ts)?$', message: 'Svelte belongs to the page (src/lib/).' },
        ],
      }],
    },
  },
  {
    // The page reaches the engine only through its client (src/lib/engine-client.svelte.ts) and the
    // worker API's types; DuckDB itself and the worker's internals stay on the other side.
    files: ['src/lib/**/*.ts', 'src/lib/**/*.svelte', 'src/main.ts', 'src/App.svelte'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [
          { regex: '^@duckdb/|^duckdb-browser-blocking$', message: 'DuckDB runs in the worker: call it through the engine client.' },
          { regex: '(^|/)duckdb/wasm-', message: 'The engine adapters run in the worker or in Node.' },
          {
            regex: '(^|/)workers/(?!engine\\.worker\\.ts$)',
            message: 'Worker internals are not for the page: use the engine client and the API types of workers/engine.worker.ts.',
          },
          { regex: '(^|/)workers/engine\\.worker\\.ts$', allowTypeImports: true, message: 'Only types come from the worker entry.' },
        ],
      }],
    },
  },
);
