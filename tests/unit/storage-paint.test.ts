/** The dashboards' first paint in the store: written and read only for the current results generation. */
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/storage/memory-store.ts';
import { PAINT_PREFIX, readPaint, savePaint, viewKey, type DashboardPaint } from '../../src/storage/dashboard-paint.ts';
import { KEYS, type ResultsManifest } from '../../src/storage/schema.ts';

const manifest = (generation: string) => ({ generation, runId: `run-${generation}` }) as unknown as ResultsManifest;

function paintOf(generation: string, total: number): DashboardPaint {
  const data = { page: 'executive', kpis: { total_sales: total }, charts: { trend: [{ month: '2013-01', sales: total }] } };
  return { generation, runId: `run-${generation}`, startedAt: 1, options: {}, insights: [], views: [{ key: viewKey('executive', {}, 'month'), data }] };
}

describe('dashboard paint', () => {
  it('is read back for the current saved results', async () => {
    const store = new MemoryStore();
    await store.write((tx) => tx.put(KEYS.current, manifest('g1')));
    expect(await savePaint(store, paintOf('g1', 10))).toBe(true);
    expect((await readPaint(store))?.views[0].data.kpis).toEqual({ total_sales: 10 });
  });

  it('is not written for results that are no longer the current ones', async () => {
    const store = new MemoryStore();
    await store.write((tx) => tx.put(KEYS.current, manifest('g2')));
    expect(await savePaint(store, paintOf('g1', 10))).toBe(false);
    expect(await readPaint(store)).toBeUndefined();
  });

  it('is not shown once other results are saved, and the next paint drops the old one', async () => {
    const store = new MemoryStore();
    await store.write((tx) => tx.put(KEYS.current, manifest('g1')));
    await savePaint(store, paintOf('g1', 10));
    await store.write((tx) => tx.put(KEYS.current, manifest('g2')));
    expect(await readPaint(store)).toBeUndefined();
    await savePaint(store, paintOf('g2', 20));
    expect([...store.data.keys()].filter((k) => k.startsWith(PAINT_PREFIX))).toEqual([`${PAINT_PREFIX}g2`]);
    expect((await readPaint(store))?.views[0].data.kpis).toEqual({ total_sales: 20 });
  });

  it('keys a view by page, filters and grain', () => {
    expect(viewKey('executive', { country: ['France'] }, 'month')).not.toBe(viewKey('executive', {}, 'month'));
    expect(viewKey('executive', {}, 'quarter')).not.toBe(viewKey('executive', {}, 'month'));
  });
});
