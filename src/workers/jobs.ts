/**
 * The worker's job registry: every long call (a pipeline run, a model re-run, a
 * download, a console query) runs as a job with an id. One `cancelJob(id)` reaches
 * any of them, and one list says what is running (the page's update prompt and
 * history ask it). Cancelling is cooperative: the job checks `cancelled` between
 * statements or batches and stops there.
 */

export type JobKind = 'run' | 'rerun' | 'export' | 'console';

export interface JobInfo {
  id: string;
  kind: JobKind;
  /** What it does, in words ("Power BI package (Parquet)"). */
  label: string;
  startedAt: number;
}

export interface Job extends JobInfo {
  /** True once a cancel was asked for this job. */
  readonly cancelled: boolean;
}

interface JobEntry extends JobInfo {
  cancelled: boolean;
}

const running = new Map<string, JobEntry>();
/** Cancels that arrived before their job (the page may cancel a call still on its way). */
const cancelledEarly = new Set<string>();
let counter = 0;

/**
 * Runs `work` as a job. It is registered at once, before waiting for the engine, so
 * a cancel sent right after the call finds it. `id` is the caller's (the page names
 * its jobs so it can cancel them); without one the worker names it.
 */
export async function runJob<T>(
  info: { id?: string; kind: JobKind; label: string },
  work: (job: Job) => Promise<T>,
): Promise<T> {
  const id = info.id ?? `${info.kind}-${++counter}`;
  if (running.has(id)) throw new Error(`a job ${id} is running already`);
  const entry: JobEntry = { id, kind: info.kind, label: info.label, startedAt: Date.now(), cancelled: cancelledEarly.delete(id) };
  running.set(id, entry);
  try {
    return await work(entry);
  } finally {
    running.delete(id);
  }
}

/** Asks a job to stop at its next check; false when no such job runs (it may not have arrived yet). */
export function cancelJob(id: string): boolean {
  const entry = running.get(id);
  if (entry) {
    entry.cancelled = true;
    return true;
  }
  // Remember a few early cancels only: an id that never arrives must not pile up.
  cancelledEarly.add(id);
  if (cancelledEarly.size > 64) cancelledEarly.delete(cancelledEarly.values().next().value as string);
  return false;
}

/** The jobs under way, oldest first. */
export function runningJobs(): JobInfo[] {
  return [...running.values()].map(({ id, kind, label, startedAt }) => ({ id, kind, label, startedAt }));
}
