/** The store of record without an engine: transactions, migrations, the run history, quota advice. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/storage/memory-store.ts';
import { isQuotaError } from '../../src/storage/kv.ts';
import { migrate, NewerSchemaError, STEPS } from '../../src/storage/migrations.ts';
import { inputsToStore } from '../../src/storage/input-files.ts';
import {
  CUT_OFF_MESSAGE, deleteRun, getRun, listRuns, loadRunInputs, markCutOffRuns, recordRunEnd, recordRunReport, recordRunStart, startingReport,
} from '../../src/storage/run-log.ts';
import { KEYS, runKey, SCHEMA_VERSION, summaryKey, type ResultsManifest, type RunRecord } from '../../src/storage/schema.ts';
import { fullStorageAdvice, storeUsage } from '../../src/storage/usage.ts';
import type { RunReport } from '../../src/pipeline/types.ts';

const text = (s: string, name: string) => new File([s], name, { type: 'text/csv', lastModified: 1_700_000_000_000 });
const fakeSha = async (f: Blob) => createHash('sha256').update(await f.text()).digest('hex');
const noAdvice = async () => 'full';

async function freshStore(quota?: number): Promise<MemoryStore> {
  const store = new MemoryStore(quota);
  await migrate(store);
  return store;
}

async function startRun(store: MemoryStore, runId: string, files: File[]): Promise<RunRecord> {
  return recordRunStart(store, runId, Date.parse(runId), await inputsToStore(runId, files, fakeSha), noAdvice);
}

function finished(record: RunRecord, state: RunReport['state'], error?: string): RunReport {
  const report = startingReport(record.runId, record.report.startedAt, record.inputs);
  return {
    ...report, state, error, endedAt: report.startedAt + 1000, durationMs: 1000,
    tasks: report.tasks.map((t, i) => ({ ...t, state: state === 'success' || i === 0 ? 'success' : i === 1 ? 'failed' : 'upstream_failed' })),
  };
}

describe('memory store transactions', () => {
  it('applies all writes of a transaction, or none when it fails', async () => {
    const store = new MemoryStore();
    await store.write((tx) => tx.put('a', 1));
    await expect(store.write((tx) => {
      tx.put('a', 2);
      tx.put('b', 3);
      throw new Error('stop');
    })).rejects.toThrow('stop');
    expect(Object.fromEntries(store.data)).toEqual({ a: 1 });
  });

  it('fails a write over the quota whole, with the browser\'s error name', async () => {
    const store = new MemoryStore(100);
    await store.write((tx) => tx.put('small', new Uint8Array(60)));
    const err = await store.write((tx) => {
      tx.put('other', new Uint8Array(10));
      tx.put('big', new Uint8Array(60));
    }).catch((e: unknown) => e);
    expect(isQuotaError(err)).toBe(true);
    expect([...store.data.keys()]).toEqual(['small']);
  });

  it('lists keys and values by prefix, seeing its own writes', async () => {
    const store = new MemoryStore();
    const seen = await store.write(async (tx) => {
      tx.put('runs/1', 'x');
      tx.put('runs/2', 'y');
      tx.put('rung', 'z');
      tx.delete('runs/1');
      return tx.values('runs/');
    });
    expect(seen).toEqual(['y']);
  });
});

describe('migrations', () => {
  it('stamps an empty store with the current version', async () => {
    const store = new MemoryStore();
    expect(await migrate(store)).toBe(SCHEMA_VERSION);
    expect(store.data.get(KEYS.version)).toBe(SCHEMA_VERSION);
  });

  it('upgrades a version 1 store: run records kept, summaries added for the history grid', async () => {
    const store = new MemoryStore();
    const report = finished({ runId: '2025-01-02T03:04:05.000Z', report: startingReport('2025-01-02T03:04:05.000Z', 1, []), inputs: [] }, 'failed', 'bad file');
    const v1Record: RunRecord = { runId: report.runId, report, inputs: [{ key: 'inputs/x', name: 'a.csv', size: 5, type: 'text/csv', lastModified: 0 }] };
    store.data.set(KEYS.version, 1);
    store.data.set(runKey(report.runId), v1Record);
    expect(await migrate(store)).toBe(1);
    expect(store.data.get(KEYS.version)).toBe(SCHEMA_VERSION);
    expect(store.data.get(summaryKey(report.runId))).toMatchObject({ runId: report.runId, state: 'failed', error: 'bad file', inputCount: 1, inputBytes: 5 });
    expect(await getRun(store, report.runId)).toEqual(v1Record);
  });

  it('leaves the store at the old version when a step fails half-way', async () => {
    const store = new MemoryStore();
    store.data.set(KEYS.version, 1);
    store.data.set('runs/x', { broken: true });
    const steps = { 1: async () => { throw new Error('step failed'); } };
    await expect(migrate(store, 2, steps)).rejects.toThrow('step failed');
    expect(store.data.get(KEYS.version)).toBe(1);
  });

  it('refuses a store written by a newer release and leaves it untouched', async () => {
    const store = new MemoryStore();
    store.data.set(KEYS.version, SCHEMA_VERSION + 1);
    store.data.set('runs/x', { future: true });
    await expect(migrate(store)).rejects.toBeInstanceOf(NewerSchemaError);
    expect(store.data.get(KEYS.version)).toBe(SCHEMA_VERSION + 1);
    expect(store.data.get('runs/x')).toEqual({ future: true });
  });

  it('has a step for every version below the current one', () => {
    for (let v = 1; v < SCHEMA_VERSION; v++) expect(STEPS[v], `step ${v}`).toBeTypeOf('function');
  });
});

describe('run history', () => {
  it('records a run with its source files before it runs, and its outcome after', async () => {
    const store = await freshStore();
    const record = await startRun(store, '2025-01-01T00:00:00.000Z', [text('a,b\n1,2\n', 'a.csv')]);
    expect(record.inputs[0]).toMatchObject({ key: `inputs/sha256-${await fakeSha(new Blob(['a,b\n1,2\n']))}`, name: 'a.csv', size: 8 });
    expect((await listRuns(store))[0]).toMatchObject({ state: 'running', inputsStored: true });
    await recordRunReport(store, finished(record, 'failed', 'validation failed: empty cst_key'));
    const [summary] = await listRuns(store);
    expect(summary).toMatchObject({ state: 'failed', error: 'validation failed: empty cst_key' });
    expect(summary.tasks.map((t) => t.state)).toEqual(['success', 'failed', 'upstream_failed', 'upstream_failed', 'upstream_failed', 'upstream_failed', 'upstream_failed']);
    const { files } = await loadRunInputs(store, record.runId);
    expect(await files[0].text()).toBe('a,b\n1,2\n');
    expect(files[0].name).toBe('a.csv');
  });

  it('keeps one copy of a file used by several runs, and frees it with the last of them', async () => {
    const store = await freshStore();
    const first = await startRun(store, '2025-01-01T00:00:00.000Z', [text('same', 'a.csv'), text('one', 'b.csv')]);
    const second = await startRun(store, '2025-01-02T00:00:00.000Z', [text('same', 'a.csv'), text('two', 'b.csv')]);
    expect([...store.data.keys()].filter((k) => k.startsWith(KEYS.inputs))).toHaveLength(3);
    expect(await deleteRun(store, first.runId)).toBe(3);
    expect([...store.data.keys()].filter((k) => k.startsWith(KEYS.inputs))).toHaveLength(2);
    expect(await deleteRun(store, second.runId)).toBe(7);
    expect([...store.data.keys()].filter((k) => k.startsWith(KEYS.inputs))).toEqual([]);
    expect(await listRuns(store)).toEqual([]);
  });

  it('refuses to delete the run whose results are saved', async () => {
    const store = await freshStore();
    const record = await startRun(store, '2025-01-01T00:00:00.000Z', [text('x', 'a.csv')]);
    await store.write((tx) => tx.put(KEYS.current, { runId: record.runId } as ResultsManifest));
    await expect(deleteRun(store, record.runId)).rejects.toThrow(/results are the ones shown/);
    expect(await getRun(store, record.runId)).toBeDefined();
  });

  it('marks runs that nothing runs any more as cut off, and leaves live ones alone', async () => {
    const store = await freshStore();
    const dead = await startRun(store, '2025-01-01T00:00:00.000Z', [text('x', 'a.csv')]);
    const live = await startRun(store, '2025-01-02T00:00:00.000Z', [text('y', 'a.csv')]);
    expect(await markCutOffRuns(store, (id) => id === live.runId)).toEqual([dead.runId]);
    const runs = await listRuns(store);
    expect(runs.find((r) => r.runId === live.runId)?.state).toBe('running');
    const cut = await getRun(store, dead.runId);
    expect(cut?.report).toMatchObject({ state: 'failed', error: CUT_OFF_MESSAGE });
    expect(cut?.report.tasks.every((t) => t.state === 'upstream_failed')).toBe(true);
  });

  it('records a run without its files when they do not fit, saying why', async () => {
    const store = await freshStore(2_000);
    const record = await recordRunStart(store, 'r1', 0, await inputsToStore('r1', [text('x'.repeat(5_000), 'big.csv')], fakeSha),
      () => fullStorageAdvice(store));
    expect(record.inputs[0].key).toBeNull();
    expect(record.inputsNote).toMatch(/^the source files were not kept: this browser's storage for the workbench is full/);
    expect((await listRuns(store))[0]).toMatchObject({ runId: 'r1', inputsStored: false });
    expect([...store.data.keys()].some((k) => k.startsWith(KEYS.inputs))).toBe(false);
  });

  it('records how a run ended even on a full disk: compact, or not at all rather than "running"', async () => {
    const bulky = (record: RunRecord): RunReport => {
      const report = finished(record, 'success');
      report.findings = [{ check: 'c', severity: 'warn', target: 't', count: 1, message: 'm', sample: [{ note: 'x'.repeat(20_000) }] }];
      return report;
    };
    const store = await freshStore();
    const record = await startRun(store, '2025-01-01T00:00:00.000Z', []);
    store.quota = store.bytes + 8_000;
    await recordRunEnd(store, bulky(record), { resultsSaved: false, resultsNote: 'full' });
    const kept = await getRun(store, record.runId);
    expect(kept?.report.state).toBe('success');
    expect(kept?.report.findings[0].sample).toEqual([]);
    expect(kept?.resultsNote).toBe('full');

    const other = await startRun(store, '2025-01-02T00:00:00.000Z', []);
    store.quota = 0;
    await recordRunEnd(store, bulky(other));
    expect(await getRun(store, other.runId)).toBeUndefined();
    expect((await listRuns(store)).map((r) => r.runId)).toEqual([record.runId]);
  });

  it('advises which runs to delete when the storage is full, largest first', async () => {
    const store = await freshStore();
    const small = await startRun(store, '2025-01-01T00:00:00.000Z', [text('s', 'a.csv')]);
    const large = await startRun(store, '2025-01-02T00:00:00.000Z', [text('l'.repeat(3 * 1024 * 1024), 'a.csv')]);
    await recordRunReport(store, finished(small, 'failed'));
    await recordRunReport(store, finished(large, 'failed'));
    const usage = await storeUsage(store);
    expect(usage.deletable.map((d) => d.runId)).toEqual([large.runId, small.runId]);
    expect(usage.inputBytes).toBe(3 * 1024 * 1024 + 1);
    expect(await fullStorageAdvice(store)).toContain('the run of 2025-01-02 00:00 (3.0 MB of source files), the run of 2025-01-01 00:00 (1 B of source files)');
  });
});
