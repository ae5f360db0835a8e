/** Shared shapes of a pipeline run, used by the runner, the worker, the CLI and the UI. */
import type { SqlValue } from '../duckdb/sql-engine.ts';
import type { SourceId } from './sources.ts';

/** The DAG's tasks, in order (ids kept from the orchestration the pipeline replaces). */
export const TASK_IDS = [
  'ingest_bronze',
  'validate_data',
  'run_silver',
  'run_gold',
  'run_kpi',
  'run_segmentation',
  'export_for_powerbi',
] as const;
export type TaskId = (typeof TASK_IDS)[number];

export type TaskState = 'queued' | 'running' | 'success' | 'failed' | 'skipped' | 'upstream_failed';
export type RunState = 'running' | 'success' | 'failed' | 'cancelled';

export interface StepTiming {
  state: TaskState;
  /** Epoch milliseconds. */
  startedAt?: number;
  endedAt?: number;
  durationMs?: number;
}

/** One model (a table built from one SQL file), one bronze load, or one data test. */
export interface ModelReport extends StepTiming {
  /** `schema.table` for models and loads, `tests.<name>` for data tests. */
  id: string;
  rows?: number;
  log: string;
  error?: string;
}

export interface TaskReport extends StepTiming {
  id: TaskId;
  /** Rows written by the task (sum over its models), or rows checked for validation. */
  rows?: number;
  models: ModelReport[];
  log: string[];
  error?: string;
}

export type Severity = 'error' | 'warn';

/** One failed expectation found by validation or by a data test. */
export interface Finding {
  check: string;
  severity: Severity;
  /** Source id (validation) or `schema.table` (data tests). */
  target: string;
  /** The file the rows came from, where known. */
  file?: string;
  column?: string;
  count: number;
  message: string;
  /** A few violating rows, values as text. */
  sample: Record<string, SqlValue>[];
}

export interface InputFileInfo {
  name: string;
  size: number;
  source?: SourceId;
  /** SHA-256 of the content, hex, where the host computed it. */
  sha256?: string;
}

export interface RunReport {
  runId: string;
  state: RunState;
  startedAt: number;
  endedAt?: number;
  durationMs?: number;
  inputs: InputFileInfo[];
  tasks: TaskReport[];
  findings: Finding[];
  /** Rows per built table, `schema.table` -> rows. */
  tables: Record<string, number>;
  /** Files written by export_for_powerbi. */
  exports: { name: string; bytes: number }[];
  /** Why the run failed, in words. */
  error?: string;
}
