/**
 * Work that uses the engine only while nothing else wants it (src/workers/engine-access.ts,
 * the lock of src/shared/mutex.ts): it waits for the jobs that hold or wait for the lock,
 * lets requests that arrive meanwhile go first, and does not run once it is no longer wanted.
 */
import { describe, expect, it, vi } from 'vitest';
import { Mutex } from '../../src/shared/mutex.ts';
import type { WasmEngine } from '../../src/duckdb/wasm-engine.ts';
import { gate } from '../helpers/gate.ts';

const engine = {} as WasmEngine;
vi.mock('../../src/duckdb/wasm-browser.ts', () => ({ openBrowserEngine: async () => engine }));
const { withEngine, withIdleEngine } = await import('../../src/workers/engine-access.ts');

describe('the lock', () => {
  it('says when no job runs or waits, and when the jobs queued so far have ended', async () => {
    const lock = new Mutex();
    expect(lock.idle).toBe(true);
    const g = gate();
    const order: string[] = [];
    const a = lock.run(async () => { await g.opened; order.push('a'); });
    const b = lock.run(async () => { order.push('b'); throw new Error('b failed'); });
    expect(lock.idle).toBe(false);
    const drained = lock.drained().then(() => order.push('drained'));
    g.open();
    await a;
    await expect(b).rejects.toThrow('b failed');
    await drained;
    expect(order).toEqual(['a', 'b', 'drained']);
    expect(lock.idle).toBe(true);
  });
});

describe('work for an idle engine', () => {
  it('waits for the job holding the engine and for a request queued meanwhile, then runs', async () => {
    const order: string[] = [];
    const held = gate();
    const first = withEngine(async () => { await held.opened; order.push('held'); });
    const idle = withIdleEngine(engine, (e) => { order.push('idle'); return e; }, () => true);
    // A request that comes while the idle work waits goes before it.
    const request = withEngine(async () => void order.push('request'));
    held.open();
    expect(await idle).toBe(engine);
    await Promise.all([first, request]);
    expect(order).toEqual(['held', 'request', 'idle']);
  });

  it('does not run once it is no longer wanted', async () => {
    let wanted = true;
    const held = gate();
    const first = withEngine(() => held.opened);
    const idle = withIdleEngine(engine, () => 'ran', () => wanted);
    wanted = false;
    held.open();
    await first;
    expect(await idle).toBeUndefined();
  });
});
