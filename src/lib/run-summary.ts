/** Small derived facts about a run report, shared by the status badge and the run page. */
import type { RunReport, TaskState } from '../pipeline/types.ts';

const FINISHED: TaskState[] = ['success', 'failed', 'skipped', 'upstream_failed'];

/** Tasks that have finished (whatever their outcome). */
export function tasksDone(report: RunReport | null | undefined): number {
  return report ? report.tasks.filter((t) => FINISHED.includes(t.state)).length : 0;
}

/** The model (or load, or data test) running right now, if any. */
export function runningModel(report: RunReport | null | undefined): string | undefined {
  const task = report?.tasks.find((t) => t.state === 'running');
  return task?.models.find((m) => m.state === 'running')?.id ?? task?.id;
}

export const STATE_WORDS: Record<TaskState, string> = {
  queued: 'Queued',
  running: 'Running',
  success: 'Success',
  failed: 'Failed',
  skipped: 'Skipped',
  upstream_failed: 'Upstream failed',
};

export const STATE_ICONS: Record<TaskState, string> = {
  queued: '○',
  running: '◐',
  success: '✓',
  failed: '✕',
  skipped: '⤼',
  upstream_failed: '⚠',
};
