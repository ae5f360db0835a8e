/**
 * What follows a good run in the worker: the listeners of new results run side by side
 * (the save waits on the store while the dashboards' aggregates are built) and all of
 * them end before the engine is let go; a second call for the aggregates while they are
 * being built waits for that build instead of starting another.
 */
import { describe, expect, it, vi } from 'vitest';
import type { RunReport } from '../../src/pipeline/types.ts';
import type { WasmEngine } from '../../src/duckdb/wasm-engine.ts';
import { gate } from '../helpers/gate.ts';
import { ensureBase } from '../../src/workers/dashboards/base.ts';
import { runOnTexts } from '../helpers/pipeline.ts';

const engine = {} as WasmEngine;
vi.mock('../../src/duckdb/wasm-browser.ts', () => ({ openBrowserEngine: async () => engine }));
const { announceNewResults, onNewResults } = await import('../../src/workers/engine-access.ts');

describe('after a good run', () => {
  it('runs the listeners side by side, and ends only when every one has ended, a failed one included', async () => {
    const saving = gate();
    const order: string[] = [];
    onNewResults(async () => {
      order.push('save starts');
      await saving.opened;
      order.push('save ends');
    });
    onNewResults(async () => {
      order.push('build starts');
      saving.open();
      throw new Error('the build failed');
    });
    onNewResults(async () => {
      await saving.opened;
      order.push('third ends');
    });
    await expect(announceNewResults({} as RunReport, engine)).rejects.toThrow('the build failed');
    expect(order).toEqual(['save starts', 'build starts', 'save ends', 'third ends']);
  });

  it('builds the dashboard aggregates once when they are asked for again while being built', async () => {
    const { engine: e } = await runOnTexts({});
    const [first, second] = await Promise.all([ensureBase(e), ensureBase(e)]);
    expect(second).toBe(first);
    expect(first.aggregates).not.toBeNull();
    expect(await ensureBase(e)).toBe(first);
  });
});
