/** Runs bench/*.probe.ts (vitest files that time worker code in Node; never part of `npm test`). */
import { defineConfig, mergeConfig } from 'vitest/config';
import base from '../vite.config.ts';

const config = mergeConfig(base, defineConfig({ test: { testTimeout: 3_600_000, hookTimeout: 3_600_000 } }));
// Replaced, not merged: only the probes.
config.test!.include = ['bench/*.probe.ts'];
export default config;
