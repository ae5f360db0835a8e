/**
 * The engine worker: the one place DuckDB-WASM lives. Exposes one typed API over
 * comlink, one namespace per concern (each a folder here); every long call is a
 * job of ./jobs.ts, stopped by `jobs.cancel(id)`. Big results leave as Arrow IPC
 * bytes, transferred. The page reaches this API only through
 * src/lib/engine-client.svelte.ts.
 */
import * as Comlink from 'comlink';
import { consoleApi } from './console/console-api.ts';
import { dashboardsApi } from './dashboards/dashboards-api.ts';
import { startEngine } from './engine-access.ts';
import { WASM_HEAP_LIMIT } from '../pipeline/size-guard.ts';
import { exportsApi } from './exports/exports-api.ts';
import { cancelJob, runningJobs } from './jobs.ts';
import { modelsApi } from './models/models-api.ts';
import { resultsApi } from './results/results-api.ts';
import { runApi } from './run/run-api.ts';
import { storageApi } from './storage/storage-api.ts';

export type { JobInfo, JobKind } from './jobs.ts';
export type { InspectedFile, InspectedUpload, RunInput } from './run/run-api.ts';
export type { FilterOptions, InsightFigure, PageData, PageRequest, PreparedAhead } from './dashboards/dashboards-api.ts';
export type { PreviewRequest, TableInfo } from './results/results-api.ts';
export type { ExportedFile, ExportProgress, PackageEntry, TableExportRequest } from './exports/exports-api.ts';
export type { RestoreOutcome, SaveOutcome } from './storage/storage-api.ts';
export type { CatalogTable, ColumnProfile, ColumnRef, ConsoleOutcome } from './console/console-api.ts';
export type { ModelProblem, RerunRequest } from './models/models-api.ts';

const api = {
  engine: {
    /** Starts the engine once; resolves with DuckDB's version. */
    async start(): Promise<{ version: string }> {
      const e = await startEngine();
      return { version: e.db.getVersion() };
    },
    /**
     * The engine's memory now: its wasm heap, which never shrinks, so this is also the most
     * it has used since it started; and the most a wasm32 heap can ever be.
     */
    async memory(): Promise<{ heapBytes: number; limitBytes: number }> {
      const e = await startEngine();
      return { heapBytes: e.heapBytes(), limitBytes: WASM_HEAP_LIMIT };
    },
  },
  jobs: {
    /** Asks a job to stop at its next statement or batch; it then ends as cancelled. */
    cancel: cancelJob,
    /** The jobs under way. */
    running: runningJobs,
  },
  run: runApi,
  storage: storageApi,
  results: resultsApi,
  exports: exportsApi,
  dashboards: dashboardsApi,
  console: consoleApi,
  models: modelsApi,
};

export type EngineApi = typeof api;

Comlink.expose(api);
