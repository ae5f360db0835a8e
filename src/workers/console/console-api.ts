/**
 * The worker's SQL console calls: run console text against the current results
 * (reads directly, writes only in the scratch catalog) as a job, and describe
 * the catalog for the schema browser and for completion.
 */
import * as Comlink from 'comlink';
import { readCatalog, profileColumn, type CatalogTable, type ColumnProfile, type ColumnRef } from './catalog.ts';
import { runConsole, type ConsoleOutcome } from './console-exec.ts';
import { withEngine } from '../engine-access.ts';
import { runJob } from '../jobs.ts';

export type { CatalogTable, ColumnProfile, ColumnRef } from './catalog.ts';
export type { ConsoleOutcome } from './console-exec.ts';

/** Rows a console result brings to the page at most (Arrow, about 70 MB for 1 M rows of 5 columns). */
export const CONSOLE_MAX_ROWS = 1_000_000;

export const consoleApi = {
  /**
   * Runs console text as job `jobId`; `confirmed` once the user agreed to the writes listed
   * by a `confirm` outcome. Results come back as Arrow IPC stream chunks, transferred.
   */
  async run(text: string, options: { confirmed?: boolean; jobId?: string } = {}): Promise<ConsoleOutcome> {
    const outcome = await runJob({ id: options.jobId, kind: 'console', label: 'Console query' }, (job) => withEngine((e) => runConsole(e, {
      text, confirmed: options.confirmed ?? false, maxRows: CONSOLE_MAX_ROWS, isCancelled: () => job.cancelled,
    })));
    return outcome.kind === 'result' ? Comlink.transfer(outcome, outcome.chunks.map((c) => c.buffer)) : outcome;
  },

  /** Tables of the current results and of scratch, with columns and row counts. */
  async catalog(): Promise<CatalogTable[]> {
    return withEngine((e) => readCatalog(e));
  },

  async profileColumn(ref: ColumnRef): Promise<ColumnProfile> {
    return withEngine((e) => profileColumn(e, ref));
  },

  /** Function and macro names the engine knows, for completion. */
  async functionNames(): Promise<string[]> {
    return withEngine(async (e) => {
      const rows = await e.query<{ name: string }>(
        `select distinct function_name as name from duckdb_functions()
         where function_type in ('scalar', 'aggregate', 'table', 'macro', 'table_macro') order by 1`,
      );
      // Operators and internal helpers (`+`, `__internal_...`) are no use in completion.
      return rows.map((r) => r.name).filter((n) => /^[a-z][a-z0-9_]*$/.test(n));
    });
  },
};
