import { describe, expect, it } from 'vitest';
import { TASK_IDS, type RunReport } from '../../src/pipeline/types.ts';
import { allTasksDone, finishingText } from '../../src/lib/run-summary.ts';

function report(done: number): RunReport {
  return {
    tasks: TASK_IDS.map((id, i) => ({ id, state: i < done ? 'success' : i === done ? 'running' : 'queued', models: [] })),
  } as unknown as RunReport;
}

describe('a run after its last task', () => {
  it('is finishing only once every task is done', () => {
    expect(allTasksDone(report(3))).toBe(false);
    expect(allTasksDone(report(TASK_IDS.length))).toBe(true);
    expect(allTasksDone(null)).toBe(false);
  });

  it('says how far the dashboards and the save are, for the badge and for the run page', () => {
    const progress = { dashboards: { done: 12, total: 43 }, save: { done: 383_000, total: 1_000_000 } };
    expect(finishingText(progress, true)).toBe('dashboards 12/43 · saved 38 %');
    expect(finishingText(progress)).toBe('preparing the dashboards: step 12 of 43 · saving the results: 38 % of 1,000,000 rows');
    expect(finishingText({ dashboards: { done: 43, total: 43 }, save: { done: 10, total: 10 } })).toBe('dashboards ready · results saved');
    // Nothing heard yet (or a tab that does not save): only what was heard is said.
    expect(finishingText(null)).toBe('');
    expect(finishingText({ dashboards: { done: 1, total: 43 } }, true)).toBe('dashboards 1/43');
  });
});
