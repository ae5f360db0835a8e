/**
 * The run history: every run recorded when it starts (with its source files) and
 * again when it ends, good or not. A run whose record still says "running" while no
 * context holds its lock was cut off (tab closed, worker killed) and is marked so.
 */
import { TASK_IDS, type RunReport } from '../pipeline/types.ts';
import { isQuotaError, type KvStore, type KvTx } from './kv.ts';
import { assertCurrentVersion } from './migrations.ts';
import { KEYS, runKey, summarise, summaryKey, type ResultsManifest, type RunRecord, type RunSummary, type StoredInputRef } from './schema.ts';

/** A source file about to be stored, with where it goes. */
export interface InputToStore {
  ref: StoredInputRef;
  file: Blob;
}

export const CUT_OFF_MESSAGE = 'the run was cut off before it finished (the tab was closed or reloaded, or the engine stopped). Nothing was changed: the results of the last good run are kept.';

/** The report of a run that has just started: every task queued. */
export function startingReport(runId: string, startedAt: number, inputs: StoredInputRef[]): RunReport {
  return {
    runId, state: 'running', startedAt,
    inputs: inputs.map((i) => ({ name: i.name, size: i.size, sha256: i.sha256 })),
    tasks: TASK_IDS.map((id) => ({ id, state: 'queued', models: [], log: [] })),
    findings: [], tables: {}, exports: [],
  };
}

/** Writes a run's record and the summary the history grid reads, together. */
export function putRecord(tx: KvTx, record: RunRecord): void {
  tx.put(runKey(record.runId), record);
  tx.put(summaryKey(record.runId), summarise(record));
}

/**
 * Records a run as started, its source files listed but not kept yet: they are kept
 * only once the run has accepted them (`keepRunInputs`), so files the run refuses (too
 * large, not recognised, unreadable) never take room.
 */
export async function recordRunStart(store: KvStore, runId: string, startedAt: number, refs: StoredInputRef[]): Promise<RunRecord> {
  const listed = refs.map((r) => ({ ...r, key: null }));
  const record: RunRecord = { runId, report: startingReport(runId, startedAt, listed), inputs: listed };
  await store.write(async (tx) => {
    await assertCurrentVersion(tx);
    putRecord(tx, record);
  });
  return record;
}

/**
 * Keeps the source files of a run that accepted them (a content already kept for an
 * earlier run is stored once). When they do not fit, the record says why; false then.
 */
export async function keepRunInputs(store: KvStore, runId: string, inputs: InputToStore[], fullAdvice: () => Promise<string>): Promise<boolean> {
  try {
    await store.write(async (tx) => {
      await assertCurrentVersion(tx);
      const record = await tx.get<RunRecord>(runKey(runId));
      if (!record) return;
      for (const { ref, file } of inputs) if (ref.key && (await tx.get(ref.key)) === undefined) tx.put(ref.key, file);
      putRecord(tx, { ...record, inputs: inputs.map((i) => i.ref), inputsNote: undefined });
    });
    return true;
  } catch (e) {
    if (!isQuotaError(e)) throw e;
    await noteInputs(store, runId, `the source files were not kept: ${await fullAdvice()}`);
    return false;
  }
}

/** Says on a run's record why its source files are not (or no longer) kept. */
export async function noteInputs(store: KvStore, runId: string, note: string): Promise<void> {
  await store.write(async (tx) => {
    const record = await tx.get<RunRecord>(runKey(runId));
    if (record) putRecord(tx, { ...record, inputsNote: note });
  });
}

/** Records a run's report (its progress, or how it ended); `extra` notes whether its results were saved. */
export async function recordRunReport(store: KvStore, report: RunReport, extra: Partial<Pick<RunRecord, 'resultsSaved' | 'resultsNote'>> = {}): Promise<void> {
  await store.write(async (tx) => {
    await assertCurrentVersion(tx);
    const before = await tx.get<RunRecord>(runKey(report.runId));
    const inputs = before?.inputs ?? report.inputs.map((i) => ({ key: null, name: i.name, size: i.size, type: '', lastModified: 0, sha256: i.sha256 }));
    putRecord(tx, { ...before, runId: report.runId, report, inputs, ...extra });
  });
}

/** A report without model logs and finding samples: what a nearly full store may still take. */
export function compactReport(report: RunReport): RunReport {
  return {
    ...report,
    tasks: report.tasks.map((t) => ({ ...t, models: [], log: t.log.slice(0, 3) })),
    findings: report.findings.map((f) => ({ ...f, sample: [] })),
  };
}

/**
 * Records how a run ended even when the store is full: the whole report, else a compact
 * one, else no record at all (a record left saying "running" would later read as cut off).
 */
export async function recordRunEnd(store: KvStore, report: RunReport, extra: Partial<Pick<RunRecord, 'resultsSaved' | 'resultsNote'>> = {}): Promise<void> {
  try {
    await recordRunReport(store, report, extra);
  } catch (e) {
    if (!isQuotaError(e)) throw e;
    await recordRunReport(store, compactReport(report), extra).catch(() => deleteRun(store, report.runId));
  }
}

/** The report of a run that was cut off: what ran is kept, the rest marked as not run. */
export function cutOffReport(report: RunReport, message = CUT_OFF_MESSAGE): RunReport {
  const endedAt = Math.max(report.startedAt, ...report.tasks.map((t) => t.endedAt ?? t.startedAt ?? 0));
  return {
    ...report, state: 'failed', error: message, endedAt, durationMs: endedAt - report.startedAt,
    tasks: report.tasks.map((t) => {
      if (t.state === 'running') return { ...t, state: 'failed', error: message };
      return t.state === 'queued' ? { ...t, state: 'upstream_failed' } : t;
    }),
  };
}

/** Marks runs still recorded as running, but no longer alive, as cut off. Returns their ids. */
export async function markCutOffRuns(store: KvStore, isAlive: (runId: string) => boolean): Promise<string[]> {
  const running = (await store.read((tx) => tx.values<RunSummary>(KEYS.summaries))).filter((s) => s.state === 'running');
  if (running.every((s) => isAlive(s.runId))) return [];
  return store.write(async (tx) => {
    await assertCurrentVersion(tx);
    const stale = (await tx.values<RunSummary>(KEYS.summaries)).filter((s) => s.state === 'running' && !isAlive(s.runId));
    for (const s of stale) {
      const record = await tx.get<RunRecord>(runKey(s.runId));
      if (record) putRecord(tx, { ...record, report: cutOffReport(record.report) });
    }
    return stale.map((s) => s.runId);
  });
}

/** Every run, newest first. */
export async function listRuns(store: KvStore): Promise<RunSummary[]> {
  const all = await store.read((tx) => tx.values<RunSummary>(KEYS.summaries));
  return all.sort((a, b) => b.startedAt - a.startedAt);
}

export function getRun(store: KvStore, runId: string): Promise<RunRecord | undefined> {
  return store.read((tx) => tx.get<RunRecord>(runKey(runId)));
}

/** The run whose results are the saved ones, if any. */
export async function currentRunId(store: KvStore): Promise<string | undefined> {
  return (await store.read((tx) => tx.get<ResultsManifest>(KEYS.current)))?.runId;
}

/**
 * Deletes a run and the source files no other run uses; returns the bytes freed.
 * The run whose results are the saved ones is refused (clear all data removes it).
 */
export async function deleteRun(store: KvStore, runId: string): Promise<number> {
  return store.write(async (tx) => {
    await assertCurrentVersion(tx);
    if ((await tx.get<ResultsManifest>(KEYS.current))?.runId === runId) {
      throw new Error('this run\'s results are the ones shown; they stay until a newer run succeeds (or use "Clear all data")');
    }
    const record = await tx.get<RunRecord>(runKey(runId));
    if (!record) return 0;
    const others = (await tx.values<RunRecord>(KEYS.runs)).filter((r) => r.runId !== runId);
    const used = new Set(others.flatMap((r) => r.inputs.map((i) => i.key)));
    let freed = 0;
    for (const input of record.inputs) {
      if (input.key && !used.has(input.key)) {
        tx.delete(input.key);
        used.add(input.key);
        freed += input.size;
      }
    }
    tx.delete(runKey(runId));
    tx.delete(summaryKey(runId));
    return freed;
  });
}

/** The stored source files of a run, as files again; `missing` names those not kept. */
export async function loadRunInputs(store: KvStore, runId: string): Promise<{ files: File[]; missing: string[] }> {
  return store.read(async (tx) => {
    const record = await tx.get<RunRecord>(runKey(runId));
    if (!record) return { files: [], missing: [] };
    const files: File[] = [];
    const missing: string[] = [];
    for (const ref of record.inputs) {
      const blob = ref.key ? await tx.get<Blob>(ref.key) : undefined;
      if (blob) files.push(new File([blob], ref.name.split('/').pop() ?? ref.name, { type: ref.type, lastModified: ref.lastModified }));
      else missing.push(ref.name);
    }
    return { files, missing };
  });
}
