/**
 * The worker's model calls: check an edited model against DuckDB (it parses and
 * binds on the current results), and re-run the DAG downstream of changed models.
 */
import { checkExportTable } from '../../exports/checks.ts';
import type { ModelFile } from '../../pipeline/dag.ts';
import { rerunFrom } from '../../pipeline/rerun.ts';
import type { RunReport } from '../../pipeline/types.ts';
import { placeError } from '../../sql/error-position.ts';
import { checkModel, withOverrides, type ModelProblem } from '../../sql/model-check.ts';
import { announceNewResults, announceRunStart, withEngine } from '../engine-access.ts';
import { runJob } from '../jobs.ts';
import { SHIPPED_MODELS } from '../../shared/shipped-models.ts';
import { rawErrorText } from '../../shared/error-text.ts';

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
   * structure and DAG rules first, then DuckDB's parse and bind on the current results.
   */
  async check(path: string, sql: string, overrides: ModelFile[]): Promise<ModelProblem[]> {
    const others = withOverrides(SHIPPED_MODELS, overrides.filter((o) => o.path !== path));
    const problems = checkModel(path, sql, others);
    if (problems.length) return problems;
    return withEngine(async (e) => {
      const [{ results }] = await e.query<{ results: number }>(
        `select count(*)::integer as results from duckdb_tables() where database_name = current_database() and schema_name = 'gold'`,
      );
      if (results === 0) return [];
      try {
        // Preparing parses and binds without running: unknown columns and functions show up here.
        e.conn.prepare(sql).close();
        return [];
      } catch (err) {
        return [placeError(rawErrorText(err), sql)];
      }
    });
  },

  /** Rebuilds the changed models and everything downstream; the results change only on success. */
  async rerun(req: RerunRequest, jobId: string, onProgress?: (report: RunReport) => void): Promise<RunReport> {
    return runJob({ id: jobId, kind: 'rerun', label: 'Model re-run' }, (job) => withEngine(async (e) => {
      await announceRunStart(e);
      const report = await rerunFrom({
        engine: e,
        models: withOverrides(SHIPPED_MODELS, req.overrides),
        from: req.from,
        drop: req.drop,
        previous: req.previous,
        exporter: (file, sql) => checkExportTable(sql, file.table),
        onProgress: (r) => onProgress?.(r),
        isCancelled: () => job.cancelled,
      });
      if (report.state === 'success') await announceNewResults(report, e);
      return report;
    }));
  },
};
