/**
 * How much the store holds and what could go: the saved results, and the source
 * files of each run (a file shared by several runs is freed with the last of them).
 * Also the advice shown when the browser's quota is used up.
 */
import type { KvStore } from './kv.ts';
import { KEYS, type ResultsManifest, type RunRecord } from './schema.ts';

export interface StoreUsage {
  /** Bytes of the saved results (the last good run's tables). */
  resultsBytes: number;
  /** Bytes of the kept source files, each file counted once. */
  inputBytes: number;
  runs: number;
  /** Runs that could be deleted, with the bytes deleting each would free, largest first. */
  deletable: { runId: string; startedAt: number; bytes: number }[];
}

export async function storeUsage(store: KvStore): Promise<StoreUsage> {
  const { manifest, records } = await store.read(async (tx) => ({
    manifest: await tx.get<ResultsManifest>(KEYS.current),
    records: await tx.values<RunRecord>(KEYS.runs),
  }));
  const users = new Map<string, { size: number; runs: Set<string> }>();
  for (const r of records) {
    for (const i of r.inputs) {
      if (!i.key) continue;
      const entry = users.get(i.key) ?? { size: i.size, runs: new Set<string>() };
      entry.runs.add(r.runId);
      users.set(i.key, entry);
    }
  }
  const deletable = records
    .filter((r) => r.runId !== manifest?.runId && r.report.state !== 'running')
    .map((r) => ({
      runId: r.runId,
      startedAt: r.report.startedAt,
      bytes: [...users.values()].filter((u) => u.runs.size === 1 && u.runs.has(r.runId)).reduce((s, u) => s + u.size, 0),
    }))
    .sort((a, b) => b.bytes - a.bytes || a.startedAt - b.startedAt);
  return {
    resultsBytes: manifest?.tables.reduce((s, t) => s + t.bytes, 0) ?? 0,
    inputBytes: [...users.values()].reduce((s, u) => s + u.size, 0),
    runs: records.length,
    deletable,
  };
}

/** 12.3 MB: the size in words, without the UI's locale formatting (usable in the worker). */
export function bytesText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** What to delete when the quota is used up, in words. */
export async function fullStorageAdvice(store: KvStore): Promise<string> {
  const usage = await storeUsage(store).catch(() => undefined);
  const freeing = usage?.deletable.filter((d) => d.bytes > 0).slice(0, 3) ?? [];
  const runs = freeing.map((d) => `the run of ${new Date(d.startedAt).toISOString().slice(0, 16).replace('T', ' ')} (${bytesText(d.bytes)} of source files)`);
  const which = runs.length ? `delete older runs on the History page — ${runs.join(', ')} — ` : 'delete older runs on the History page ';
  return `this browser's storage for the workbench is full. To make room, ${which}or free disk space, then run again.`;
}
