/**
 * The worker's model calls: check an edited model (the rules, then DuckDB builds it on
 * empty inputs), and re-run the DAG downstream of changed models once every override
 * passed the same checks again here (./model-guard.ts), whatever the page sent.
 */
import { checkExportTable } from '../../exports/checks.ts';
import type { ModelFile } from '../../pipeline/dag.ts';
import { rerunFrom } from '../../pipeline/rerun.ts';
import { TaskFailure } from '../../pipeline/run-steps.ts';
import type { RunReport } from '../../pipeline/types.ts';
import { withOverrides, type ModelProblem } from '../../sql/model-check.ts';
import type { FinishingProgress } from '../../shared/finishing.ts';
import { announceNewResults, announceRunStart, withEngine } from '../engine-access.ts';
import { runJob } from '../jobs.ts';
import { SHIPPED_MODELS } from '../../shared/shipped-models.ts';
import { modelProblems, overrideProblems } from './model-guard.ts';

export type { ModelProblem } from '../../sql/model-check.ts';

export interface RerunRequest {
  /** The local overrides (edited and added models) to run with. */
  overrides: ModelFile[];
  /** Models to rebuild, with everything downstream. */
  from: string[];
  /** Added models that were removed: their tables are dropped. */
  drop: string[];
  /** The report of the current results. */
  previous?: RunReport;
}

export const modelsApi = {
  /**
   * Problems of `sql` as the model at `path` (with the other overrides applied):
   * structure and DAG rules first, then DuckDB builds it, as a run would, on empty inputs.
   */
  async check(path: string, sql: string, overrides: ModelFile[]): Promise<ModelProblem[]> {
    return withEngine((e) => modelProblems(e, SHIPPED_MODELS, path, sql, overrides));
  },

  /** Rebuilds the changed models and everything downstream; the results change only on success. */
  async rerun(req: RerunRequest, jobId: string, onProgress?: (report: RunReport) => void, onFinishing?: (progress: FinishingProgress) => void): Promise<RunReport> {
    return runJob({ id: jobId, kind: 'rerun', label: 'Model re-run' }, (job) => withEngine(async (e) => {
      await announceRunStart(e);
      const report = await rerunFrom({
        engine: e,
        // Saved overrides are checked again before anything is built.
        verify: async () => {
          const problems = await overrideProblems(e, SHIPPED_MODELS, req.overrides);
          if (problems.length) throw new TaskFailure(`the edited models were checked again and refused: ${problems.join('; ')}`);
        },
        models: withOverrides(SHIPPED_MODELS, req.overrides),
        from: req.from,
        drop: req.drop,
        previous: req.previous,
        exporter: (file, sql) => checkExportTable(sql, file.table),
        onProgress: (r) => onProgress?.(r),
        isCancelled: () => job.cancelled,
      });
      if (report.state === 'success') await announceNewResults(report, e, onFinishing);
      return report;
    }));
  },
};
