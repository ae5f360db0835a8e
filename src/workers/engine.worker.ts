/**
 * The engine worker: the one place DuckDB-WASM lives. Exposes one typed object
 * over comlink, composed from one module per concern; big results leave as Arrow
 * IPC bytes, transferred. Add a concern as `src/workers/<concern>-api.ts` and spread it here.
 */
import * as Comlink from 'comlink';
import { consoleApi } from './console-api.ts';
import { engine } from './context.ts';
import { dashboardsApi } from './dashboards-api.ts';
import { exportsApi } from './exports-api.ts';
import { modelsApi } from './models-api.ts';
import { resultsApi } from './results-api.ts';
import { runApi } from './run-api.ts';
import { storageApi } from './storage-api.ts';

export type { InspectedFile } from './inputs.ts';
export type { FilterOptions, InsightFigure, PageData, PageRequest } from './dashboards-api.ts';
export type { PreviewRequest, TableInfo } from './results-api.ts';
export type { ExportedFile, ExportProgress, PackageEntry, TableExportRequest } from './exports-api.ts';
export type { RestoreOutcome, SaveOutcome } from './storage-api.ts';
export type { CatalogTable, ColumnProfile, ColumnRef, ConsoleOutcome } from './console-api.ts';
export type { ModelProblem, RerunRequest } from './models-api.ts';

const api = {
  /** Starts the engine once; resolves with DuckDB's version. */
  async init(): Promise<{ version: string }> {
    const e = await engine();
    return { version: e.db.getVersion() };
  },
  ...runApi,
  ...storageApi,
  ...resultsApi,
  ...exportsApi,
  ...dashboardsApi,
  ...consoleApi,
  ...modelsApi,
};

export type EngineApi = typeof api;

Comlink.expose(api);
