/** Small derived facts about a run report, shared by the status badge and the run page. */
import type { RunReport, TaskState } from '../pipeline/types.ts';
import type { FinishingProgress } from '../shared/finishing.ts';

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

/** Whether every task has finished: a run still under way is then building the dashboards and saving. */
export function allTasksDone(report: RunReport | null | undefined): boolean {
  return !!report && report.tasks.length > 0 && tasksDone(report) === report.tasks.length;
}

/** How far a piece of work is, in whole percent (rounded down: 100 only when done). */
export const percent = (p: { done: number; total: number }) => (p.total > 0 ? Math.floor((100 * p.done) / p.total) : 100);

/**
 * What a run does after its last task, in words: `short` for the status badge
 * ("dashboards 12/43 · saved 38 %"), else for the run page.
 */
export function finishingText(progress: FinishingProgress | null | undefined, short = false): string {
  const parts: string[] = [];
  const { dashboards, save } = progress ?? {};
  if (dashboards) {
    const done = dashboards.done >= dashboards.total;
    if (short) parts.push(`dashboards ${dashboards.done}/${dashboards.total}`);
    else parts.push(done ? 'dashboards ready' : `preparing the dashboards: step ${dashboards.done} of ${dashboards.total}`);
  }
  if (save) {
    const done = save.done >= save.total;
    if (short) parts.push(`saved ${percent(save)} %`);
    else parts.push(done ? 'results saved' : `saving the results: ${percent(save)} % of ${save.total.toLocaleString('en-US')} rows`);
  }
  return parts.join(' · ');
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
