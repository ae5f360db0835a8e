/**
 * How much the store holds and what could go: the saved results, the source files of
 * each run (a file shared by several runs is freed with the last of them) and the rest
 * (run records, queries, settings); how that sits beside what the browser counts for the
 * site; and the advice shown when the browser's quota is used up.
 */
import type { KvStore } from './kv.ts';
import { KEYS, type ResultsManifest, type RunRecord } from './schema.ts';

export interface StoreUsage {
  /** Bytes of the saved results (the last good run's tables). */
  resultsBytes: number;
  /** Bytes of the kept source files, each file counted once. */
  inputBytes: number;
  /** About how many bytes the run records, the saved results' manifest, queries and settings take. */
  otherBytes: number;
  runs: number;
  /** Runs that could be deleted, with the bytes deleting each would free, largest first. */
  deletable: { runId: string; startedAt: number; bytes: number }[];
}

export async function storeUsage(store: KvStore): Promise<StoreUsage> {
  const { manifest, records, small } = await store.read(async (tx) => ({
    manifest: await tx.get<ResultsManifest>(KEYS.current),
    records: await tx.values<RunRecord>(KEYS.runs),
    small: [...await tx.values(KEYS.summaries), ...await tx.values('meta/'), ...await tx.values('workbench/')],
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
    otherBytes: [...records, ...small].reduce((s: number, v) => s + jsonBytes(v), 0),
    runs: records.length,
    deletable,
  };
}

/** About the bytes a plain value takes (its JSON text). */
function jsonBytes(value: unknown): number {
  return JSON.stringify(value)?.length ?? 0;
}

/** What the browser says it holds for this site (navigator.storage.estimate()). */
export interface BrowserEstimate {
  usage?: number;
  quota?: number;
  /** Chromium's split: `indexedDB` is the workbench's data, `caches` and service workers the app's offline copy. */
  usageDetails?: Record<string, number>;
}

/** The storage panel's figures: the data's own sizes add up to `keptBytes`; the browser's figures stand beside them. */
export interface StorageFigures {
  resultsBytes: number;
  inputBytes: number;
  otherBytes: number;
  /** resultsBytes + inputBytes + otherBytes. */
  keptBytes: number;
  /** The app's offline copy, as the browser counts it (Chromium only). */
  appBytes?: number;
  /** The workbench's data on disk, as the browser counts it (Chromium only). */
  storedBytes?: number;
  /** Everything the site uses, as the browser counts it. */
  usedBytes?: number;
  /** quota − used. */
  availableBytes?: number;
  /** Why the browser's count differs from the data's size, when it does by much. */
  note?: string;
}

export function storageFigures(usage: StoreUsage | null, browser: BrowserEstimate): StorageFigures {
  const resultsBytes = usage?.resultsBytes ?? 0;
  const inputBytes = usage?.inputBytes ?? 0;
  const otherBytes = usage?.otherBytes ?? 0;
  const keptBytes = resultsBytes + inputBytes + otherBytes;
  const details = browser.usageDetails;
  const appBytes = details ? (details.caches ?? 0) + (details.serviceWorkerRegistrations ?? 0) : undefined;
  const storedBytes = details ? (details.indexedDB ?? 0) : undefined;
  const usedBytes = browser.usage;
  const availableBytes = browser.quota !== undefined && usedBytes !== undefined ? Math.max(0, browser.quota - usedBytes) : undefined;
  const counted = storedBytes ?? (usedBytes !== undefined ? usedBytes - (appBytes ?? 0) : undefined);
  let note: string | undefined;
  if (counted !== undefined && keptBytes > 0 && counted < keptBytes * 0.9) {
    note = `The browser counts ${bytesText(Math.max(0, counted))} for the workbench's ${bytesText(keptBytes)} of data: it stores the saved results compressed, and a private window keeps data in memory without counting it.`;
  } else if (counted !== undefined && counted > keptBytes * 1.1 + 1024 ** 2) {
    note = `The browser counts ${bytesText(counted)} for the workbench's ${bytesText(keptBytes)} of data: space freed by deleted runs is given back later.`;
  }
  return { resultsBytes, inputBytes, otherBytes, keptBytes, appBytes, storedBytes, usedBytes, availableBytes, note };
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
