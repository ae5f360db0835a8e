/**
 * Each run in the history: recorded as started (its source files listed) before
 * anything runs, its files kept once ingest_bronze has accepted them (then the
 * retention policy applied), its progress noted whenever a task changes state (so a
 * run that is cut off shows how far it got), and its end. Recording never stops a run.
 */
import type { RunReport } from '../../pipeline/types.ts';
import { errorText } from '../../shared/error-text.ts';
import { inputsToStore } from '../../storage/input-files.ts';
import type { KvStore } from '../../storage/kv.ts';
import { pruneInputs } from '../../storage/retention.ts';
import { holdLock, locksAvailable, runLockName, type HeldLock } from '../../storage/locks.ts';
import {
  cutOffReport, getRun, keepRunInputs, noteInputs, recordRunEnd, recordRunReport, recordRunStart, startingReport, type InputToStore,
} from '../../storage/run-log.ts';
import { fullStorageAdvice } from '../../storage/usage.ts';
import { workerStore } from '../storage/worker-store.ts';

/** Runs of this worker, each holding a lock while it lives: the history tells a live run from a cut-off one. */
export const runLocks = new Map<string, HeldLock | null>();

/** Source files of runs under way, kept once the run accepts them. */
const awaitingAcceptance = new Map<string, InputToStore[]>();

/** Records the run as started, with its source files listed by digest (kept only once accepted). */
export async function beginRun(runId: string, files: File[], checksum: (file: File) => Promise<string | undefined>): Promise<void> {
  workerStore.lastSave = undefined;
  runLocks.set(runId, locksAvailable() ? await holdLock(runLockName(runId)).catch(() => null) : null);
  const kv = workerStore.forWriting;
  if (!kv) return;
  try {
    const inputs = await inputsToStore(runId, files, checksum);
    await recordRunStart(kv, runId, Date.now(), inputs.map((i) => i.ref));
    awaitingAcceptance.set(runId, inputs);
  } catch {
    // The history misses this run's start; its end is still recorded.
  }
}

/** Keeps the files of a run that accepted them, then applies the retention policy (sparing this run). */
async function keepAccepted(kv: KvStore, runId: string, inputs: InputToStore[]): Promise<void> {
  if (await keepRunInputs(kv, runId, inputs, () => fullStorageAdvice(kv))) await pruneInputs(kv, [runId]);
}

let progressWrites: Promise<void> = Promise.resolve();
let lastProgress = '';

/** Notes a run's progress whenever a task changes state. Writes are queued, one at a time. */
export function noteProgress(report: RunReport): void {
  const states = report.tasks.map((t) => t.state).join();
  const kv = workerStore.forWriting;
  if (!kv || report.state !== 'running' || states === lastProgress) return;
  lastProgress = states;
  const accepted = report.tasks.find((t) => t.id === 'ingest_bronze')?.state === 'success' ? awaitingAcceptance.get(report.runId) : undefined;
  if (accepted) {
    awaitingAcceptance.delete(report.runId);
    progressWrites = progressWrites.then(() => keepAccepted(kv, report.runId, accepted)).catch(() => undefined);
  }
  progressWrites = progressWrites.then(() => recordRunReport(kv, report)).catch(() => undefined);
}

/** Waits for queued progress notes: a late one must not overwrite a final record. */
export function progressWritten(): Promise<void> {
  return progressWrites;
}

/** Records how the run ended (a successful run was recorded with its results already). */
export async function endRun(report: RunReport): Promise<void> {
  await progressWrites;
  lastProgress = '';
  const { lastSave } = workerStore;
  try {
    const savedWithResults = report.state === 'success' && lastSave?.runId === report.runId && lastSave.saved;
    const kv = workerStore.forWriting;
    if (kv && !savedWithResults) {
      const extra = report.state === 'success' ? { resultsSaved: false, resultsNote: lastSave?.message } : {};
      await recordRunEnd(kv, report, extra);
    }
    if (kv && awaitingAcceptance.has(report.runId)) await noteInputs(kv, report.runId, 'the source files were not kept: the run did not accept them.');
  } catch {
    // Best effort: the results and earlier records are untouched.
  } finally {
    awaitingAcceptance.delete(report.runId);
    runLocks.get(report.runId)?.release();
    runLocks.delete(report.runId);
  }
}

/** Records a run that stopped with an unexpected error (outside the pipeline's own reporting). */
export async function endRunWithError(runId: string, error: unknown): Promise<void> {
  const kv = workerStore.forWriting;
  const record = kv ? await getRun(kv, runId).catch(() => undefined) : undefined;
  const report = record?.report ?? startingReport(runId, Date.now(), []);
  await endRun(cutOffReport(report, `the run stopped unexpectedly: ${errorText(error)}`));
}
