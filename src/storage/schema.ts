/**
 * What the store holds and under which keys (one IndexedDB object store, keys by prefix):
 *
 *   meta/schemaVersion              the layout version below
 *   meta/current                    ResultsManifest: the last good run whose results are saved
 *   meta/ui                         UiState: page and filters
 *   results/<generation>/<s>.<t>    one table of that run, as Arrow IPC stream bytes
 *   runs/<runId>                    RunRecord: the full report of every run, good or not
 *   summaries/<runId>               RunSummary: what the history grid shows (since version 2)
 *   inputs/<sha256 or id>           the source files as dropped (File blobs), shared by runs
 *   workbench/…                     the SQL workbench's items (WORKBENCH_KEYS)
 *
 * A new layout gets a new SCHEMA_VERSION and a step in migrations.ts.
 */
import type { RunReport, RunState, TaskId, TaskState } from '../pipeline/types.ts';

export const SCHEMA_VERSION = 2;

export const KEYS = {
  version: 'meta/schemaVersion',
  current: 'meta/current',
  ui: 'meta/ui',
  results: 'results/',
  runs: 'runs/',
  summaries: 'summaries/',
  inputs: 'inputs/',
} as const;

/** The SQL workbench's items: console history and tabs, model overrides, saved charts. */
export const WORKBENCH_KEYS = {
  history: 'workbench/history',
  tabs: 'workbench/tabs',
  overrides: 'workbench/overrides',
  applied: 'workbench/applied',
  charts: 'workbench/charts',
} as const;

export const runKey = (runId: string) => `${KEYS.runs}${runId}`;
export const summaryKey = (runId: string) => `${KEYS.summaries}${runId}`;
export const generationPrefix = (generation: string) => `${KEYS.results}${generation}/`;
export const tableKey = (generation: string, table: string) => `${generationPrefix(generation)}${table}`;
/** A source file is kept once per content. */
export const contentKey = (sha256: string) => `${KEYS.inputs}sha256-${sha256}`;

/** One saved table of the current results. */
export interface StoredTable {
  schema: string;
  name: string;
  rows: number;
  bytes: number;
  columns: { name: string; type: string }[];
}

/** Points at the saved results: written last, so it only ever names a complete generation. */
export interface ResultsManifest {
  generation: string;
  runId: string;
  savedAt: number;
  report: RunReport;
  tables: StoredTable[];
}

/** A source file of a run; `key` is null when the file could not be kept. */
export interface StoredInputRef {
  key: string | null;
  name: string;
  size: number;
  type: string;
  lastModified: number;
  sha256?: string;
}

export interface RunRecord {
  runId: string;
  /** The final report; while the run is under way, the report it started with. */
  report: RunReport;
  inputs: StoredInputRef[];
  /** Why the source files are not all kept, in words. */
  inputsNote?: string;
  /** Whether this (successful) run's results were saved. */
  resultsSaved?: boolean;
  /** Why they were not, in words. */
  resultsNote?: string;
}

export interface RunSummary {
  runId: string;
  state: RunState;
  startedAt: number;
  durationMs?: number;
  error?: string;
  tasks: { id: TaskId; state: TaskState; durationMs?: number }[];
  inputCount: number;
  inputBytes: number;
  inputsStored: boolean;
  findings: { errors: number; warnings: number };
  resultsSaved: boolean;
}

export interface UiState {
  /** The location hash of the last page, e.g. `#/dashboards/executive?country=Germany`. */
  hash: string;
  savedAt: number;
}

/** The summary the history grid shows, derived from a run record. */
export function summarise(record: RunRecord): RunSummary {
  const { report } = record;
  return {
    runId: record.runId,
    state: report.state,
    startedAt: report.startedAt,
    durationMs: report.durationMs,
    error: report.error,
    tasks: report.tasks.map((t) => ({ id: t.id, state: t.state, durationMs: t.durationMs })),
    inputCount: record.inputs.length,
    inputBytes: record.inputs.reduce((sum, i) => sum + i.size, 0),
    inputsStored: record.inputs.length > 0 && record.inputs.every((i) => i.key !== null),
    findings: {
      errors: report.findings.filter((f) => f.severity === 'error').length,
      warnings: report.findings.filter((f) => f.severity === 'warn').length,
    },
    resultsSaved: record.resultsSaved === true,
  };
}
