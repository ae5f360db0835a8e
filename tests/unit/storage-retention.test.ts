/** The retention policy on the history's source files: the latest N runs, up to a size, never the current results' run. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { inputsToStore } from '../../src/storage/input-files.ts';
import { MemoryStore } from '../../src/storage/memory-store.ts';
import { migrate } from '../../src/storage/migrations.ts';
import { DEFAULT_RETENTION, loadRetention, PRUNED_NOTE, pruneInputs, setRetention, validRetention } from '../../src/storage/retention.ts';
import { getRun, keepRunInputs, listRuns, loadRunInputs, recordRunStart } from '../../src/storage/run-log.ts';
import { KEYS, type ResultsManifest } from '../../src/storage/schema.ts';

const sha = async (f: Blob) => createHash('sha256').update(new Uint8Array(await f.arrayBuffer())).digest('hex');
const file = (content: string, name = 'sales_details.csv') => new File([content], name, { type: 'text/csv' });
const day = (n: number) => `2026-01-${String(n).padStart(2, '0')}T00:00:00.000Z`;

async function storeWithRuns(runs: { id: string; files: File[] }[]): Promise<MemoryStore> {
  const store = new MemoryStore();
  await migrate(store);
  for (const { id, files } of runs) {
    const inputs = await inputsToStore(id, files, sha);
    await recordRunStart(store, id, Date.parse(id), inputs.map((i) => i.ref));
    await keepRunInputs(store, id, inputs, async () => 'full');
  }
  return store;
}

const storedInputs = (store: MemoryStore) => [...store.data.keys()].filter((k) => k.startsWith(KEYS.inputs)).length;
const keptRuns = async (store: MemoryStore) => (await listRuns(store)).filter((r) => r.inputsStored).map((r) => r.runId);

function markCurrent(store: MemoryStore, runId: string): Promise<void> {
  const manifest = { generation: 'g', runId, savedAt: 0, tables: [], report: {} } as unknown as ResultsManifest;
  return store.write((tx) => tx.put(KEYS.current, manifest));
}

describe('retention of source files', () => {
  it('keeps the files of the latest N runs and removes older ones, runs staying in the history', async () => {
    const store = await storeWithRuns([1, 2, 3, 4].map((n) => ({ id: day(n), files: [file(`run ${n}`)] })));
    const pruned = await setRetention(store, { keepRuns: 2, maxBytes: 1e9 });
    expect(pruned.runs.sort()).toEqual([day(1), day(2)]);
    expect(pruned.bytes).toBe(10);
    expect(await keptRuns(store)).toEqual([day(4), day(3)]);
    expect(storedInputs(store)).toBe(2);
    expect((await listRuns(store)).map((r) => r.runId)).toEqual([day(4), day(3), day(2), day(1)]);
    const old = await getRun(store, day(1));
    expect(old?.inputsNote).toBe(PRUNED_NOTE);
    expect((await loadRunInputs(store, day(1))).missing).toEqual(['sales_details.csv']);
  });

  it('keeps files up to a total size, newest first', async () => {
    const store = await storeWithRuns([1, 2, 3].map((n) => ({ id: day(n), files: [file('x'.repeat(100 * n))] })));
    await setRetention(store, { keepRuns: 10, maxBytes: 450 });
    expect(await keptRuns(store)).toEqual([day(3)]);
    await setRetention(store, { keepRuns: 10, maxBytes: 600 });
    expect(await keptRuns(store), 'removed files do not come back').toEqual([day(3)]);
  });

  it('never removes the files of the run whose results are shown, nor of a run under way', async () => {
    const store = await storeWithRuns([1, 2, 3].map((n) => ({ id: day(n), files: [file(`run ${n}`)] })));
    await markCurrent(store, day(1));
    await setRetention(store, { keepRuns: 1, maxBytes: 1e9 });
    expect(await keptRuns(store)).toEqual([day(3), day(1)]);
    const busy = await storeWithRuns([1, 2].map((n) => ({ id: day(n), files: [file('y'.repeat(1000 + n))] })));
    await busy.write((tx) => tx.put(KEYS.retention, { keepRuns: 1, maxBytes: 10 }));
    await pruneInputs(busy, [day(1)]);
    expect(await keptRuns(busy)).toEqual([day(1)]);
  });

  it('keeps a file an older run shares with a kept one', async () => {
    const store = await storeWithRuns([
      { id: day(1), files: [file('shared', 'a.csv'), file('old', 'b.csv')] },
      { id: day(2), files: [file('shared', 'a.csv'), file('new', 'b.csv')] },
    ]);
    const pruned = await setRetention(store, { keepRuns: 1, maxBytes: 1e9 });
    expect(pruned).toEqual({ runs: [day(1)], bytes: 3 });
    expect((await getRun(store, day(1)))?.inputs.map((i) => i.key !== null)).toEqual([true, false]);
    expect((await loadRunInputs(store, day(2))).missing).toEqual([]);
  });

  it('reads a missing or broken policy as the default, and keeps limits whole and positive', async () => {
    const store = await storeWithRuns([]);
    expect(await loadRetention(store)).toEqual(DEFAULT_RETENTION);
    expect(validRetention({ keepRuns: 0, maxBytes: -5 })).toEqual(DEFAULT_RETENTION);
    expect(validRetention({ keepRuns: 3.7, maxBytes: 1024.5 })).toEqual({ keepRuns: 3, maxBytes: 1024 });
    await setRetention(store, { keepRuns: 4, maxBytes: 5e8 });
    expect(await loadRetention(store)).toEqual({ keepRuns: 4, maxBytes: 5e8 });
  });
});
