/**
 * The Models page's state: local overrides of model SQL (kept in the browser),
 * which of them the current results reflect, the last run of each model, and the
 * downstream re-run that applies the changes.
 */
import * as Comlink from 'comlink';
import { buildDag, DagError, type Dag, type ModelFile } from '../../pipeline/dag.ts';
import type { ModelReport, RunReport } from '../../pipeline/types.ts';
import type { ModelProblem } from '../../workers/engine.worker.ts';
import { SHIPPED_MODELS } from '../../shared/shipped-models.ts';
import type { FinishingProgress } from '../../shared/finishing.ts';
import { engineClient } from '../engine-client.svelte.ts';
import { persistence } from '../history/persistence.svelte.ts';
import { mergeRuns, newKpiPath, pendingChanges, withOverrides } from '../../sql/model-check.ts';
import { itemStore, loadItem, saveItem } from '../../storage/app-store.ts';
import { WORKBENCH_KEYS } from '../../storage/schema.ts';
import { embedSettings } from '../embed/embed-mode.ts';

/** An embed with persist=0 keeps nothing in the browser: this visit's items only. */
const items = itemStore(embedSettings.persist);

export interface Override extends ModelFile {
  savedAt: number;
}

/** The model SQL a re-run applied, by path, and the run it made. */
interface Applied {
  runId: string;
  models: Record<string, string>;
}

const shippedSql = (path: string) => SHIPPED_MODELS.find((m) => m.path === path)?.sql;

export class ModelsState {
  overrides = $state.raw<Override[]>([]);
  applied = $state.raw<Applied | null>(null);
  /** The re-run under way or last finished from this page. */
  rerun = $state.raw<RunReport | null>(null);
  rerunning = $state(false);
  /** After the re-run's last task, how far the dashboards' build and the save are; null otherwise. */
  finishing = $state.raw<FinishingProgress | null>(null);
  #jobId: string | undefined;
  /** The last run of every model, merged over full runs and re-runs. */
  lastRuns = $state.raw<Record<string, ModelReport>>({});
  loaded = $state(false);
  /** Editor text not saved yet, by model path (kept while the page is open). */
  drafts = $state<Record<string, string>>({});
  #seenRun = '';

  models = $derived<ModelFile[]>(withOverrides(SHIPPED_MODELS, this.overrides));

  /** The DAG with the overrides; the shipped one (and why) if the overrides break it. */
  graph = $derived.by<{ dag: Dag; problem?: string }>(() => {
    try {
      return { dag: buildDag(this.models) };
    } catch (e) {
      return { dag: buildDag(SHIPPED_MODELS), problem: e instanceof DagError ? e.message : String(e) };
    }
  });

  async load(): Promise<void> {
    if (this.loaded) return;
    const [overrides, applied] = await Promise.all([
      loadItem<Override[]>(items, WORKBENCH_KEYS.overrides, []),
      loadItem<Applied | null>(items, WORKBENCH_KEYS.applied, null),
    ]);
    this.overrides = overrides;
    this.applied = applied;
    this.loaded = true;
  }

  /** Folds a report into the last-run map: a full run replaces it, a re-run updates what it rebuilt. */
  noteReport(report: RunReport | undefined): void {
    if (!report || report.runId === this.#seenRun) return;
    this.#seenRun = report.runId;
    this.lastRuns = mergeRuns(this.lastRuns, report);
  }

  sqlOf(path: string): string {
    return this.overrides.find((o) => o.path === path)?.sql ?? shippedSql(path) ?? '';
  }

  isShipped(path: string): boolean {
    return shippedSql(path) !== undefined;
  }

  /** Changes the current results do not reflect yet: models to rebuild, tables to drop. */
  pending = $derived.by(() => {
    const current = engineClient.results?.report.runId;
    const applied = this.applied && this.applied.runId === current ? this.applied.models : {};
    return pendingChanges(SHIPPED_MODELS, this.overrides, applied);
  });

  /** Problems of `sql` as the model at `path`: rules, the DAG, then DuckDB's parse and bind. */
  check(path: string, sql: string): Promise<ModelProblem[]> {
    return engineClient.call((api) => api.models.check(path, sql, $state.snapshot(this.overrides)));
  }

  /** Checks and keeps `sql` as the local version of `path`; returns the problems (none: saved). */
  async save(path: string, sql: string): Promise<ModelProblem[]> {
    const problems = await this.check(path, sql);
    if (problems.length) return problems;
    const rest = this.overrides.filter((o) => o.path !== path);
    this.overrides = sql === shippedSql(path) ? rest : [...rest, { path, sql, savedAt: Date.now() }];
    delete this.drafts[path];
    if (!(await saveItem(items, WORKBENCH_KEYS.overrides, this.overrides))) {
      return [{ message: 'this browser did not let the change be kept; it holds for this visit only' }];
    }
    return [];
  }

  /** Starts a new KPI model as a draft; returns its id, or why the name does not work. */
  newKpi(name: string): { id?: string; problem?: string } {
    const clean = name.trim().toLowerCase();
    if (!/^[a-z_][a-z0-9_]*$/.test(clean)) return { problem: 'use lower-case letters, digits and _ (starting with a letter), e.g. sales_by_weekday' };
    const id = `kpi.${clean}`;
    if (this.graph.dag.byId.has(id)) return { problem: `${id} exists already` };
    this.drafts[newKpiPath(clean)] ??= `-- grain: one row per weekday\nselect\n    dayname(order_date) as weekday,\n    total_sales(sales_amount) as sales,\n    total_orders(order_number) as orders,\nfrom gold.fact_sales\ngroup by all\n`;
    return { id };
  }

  /** Back to the shipped SQL (or, for an added model, removes it). */
  async reset(path: string): Promise<void> {
    delete this.drafts[path];
    this.overrides = this.overrides.filter((o) => o.path !== path);
    await saveItem(items, WORKBENCH_KEYS.overrides, this.overrides);
  }

  /** Re-runs downstream of every pending change (and of `also`); the results change only on success. */
  async rerunPending(also: string[] = []): Promise<RunReport | undefined> {
    if (this.rerunning || engineClient.running) return undefined;
    const { from, drop } = this.pending;
    const ids = [...from, ...also.filter((id) => !from.includes(id))].filter((id) => this.graph.dag.byId.has(id));
    this.rerunning = true;
    const models = Object.fromEntries(this.overrides.map((o) => [o.path, o.sql]));
    const onProgress = Comlink.proxy((snapshot: RunReport) => {
      // The outcome is shown from the returned report, once the new results are loaded.
      if (snapshot.state !== 'running') return;
      this.rerun = snapshot;
      engineClient.report = snapshot;
    });
    const onFinishing = Comlink.proxy((progress: FinishingProgress) => {
      if (this.rerunning) this.finishing = progress;
    });
    try {
      const request = {
        overrides: $state.snapshot(this.overrides), from: ids, drop,
        previous: engineClient.results?.report ? $state.snapshot(engineClient.results.report) : undefined,
      };
      const report = await engineClient.job('rerun', 'Model re-run', (api, jobId) => {
        this.#jobId = jobId;
        return api.models.rerun(request, jobId, onProgress, onFinishing);
      });
      this.finishing = null;
      if (report.state === 'success') {
        this.applied = { runId: report.runId, models };
        await saveItem(items, WORKBENCH_KEYS.applied, this.applied);
        await engineClient.loadResults(report);
      }
      // Shown as finished only once the new results are loaded everywhere.
      this.rerun = report;
      engineClient.report = report;
      if (report.state === 'success') void persistence.afterRun();
      return report;
    } finally {
      this.finishing = null;
      this.rerunning = false;
    }
  }

  cancelRerun(): void {
    if (this.rerunning && this.#jobId) engineClient.cancel(this.#jobId);
  }
}

export const modelsState = new ModelsState();
