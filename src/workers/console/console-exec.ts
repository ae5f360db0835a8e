/**
 * Runs console text on the engine: plans every statement first (sql-guard), asks
 * for confirmation before any write, then runs the statements in order. Reads run
 * in a transaction that is rolled back; writes go to the scratch catalog only, in
 * a transaction that commits when the statement succeeded.
 */
import { CancelledError } from '../../duckdb/sql-engine.ts';
import { quoteIdent } from '../../sql/quote.ts';
import type { WasmEngine } from '../../duckdb/wasm-engine.ts';
import { placeError } from '../../sql/error-position.ts';
import { planStatements, SCRATCH, scratchName, type StatementPlan } from '../../sql/guard.ts';
import { streamQuery } from './stream-query.ts';
import { rawErrorText } from '../../shared/error-text.ts';

export interface ConsoleRequest {
  text: string;
  /** The user confirmed the writes listed by an earlier `confirm` outcome. */
  confirmed?: boolean;
  /** Rows fetched at most (the result says when there were more). */
  maxRows: number;
  isCancelled?: () => boolean;
}

export type ConsoleOutcome =
  | {
    kind: 'result';
    /** Arrow IPC stream of the last statement's result. */
    chunks: Uint8Array[];
    rows: number;
    /** True when the statement had more rows than `maxRows`; the chunks may hold a few beyond it. */
    capped: boolean;
    maxRows: number;
    elapsedMs: number;
    statements: number;
    /** What each write did, in words. */
    notes: string[];
    /** True when a statement changed the scratch catalog. */
    wroteScratch: boolean;
  }
  | { kind: 'confirm'; writes: string[] }
  | { kind: 'refused'; reasons: { statement: string; reason: string }[] }
  | { kind: 'error'; message: string; offset?: number }
  | { kind: 'cancelled'; elapsedMs: number };

/** Plans and runs the text; never throws for SQL problems (they come back as outcomes). */
export async function runConsole(e: WasmEngine, req: ConsoleRequest): Promise<ConsoleOutcome> {
  const { plans, problem } = planStatements(req.text);
  if (problem) return { kind: 'error', message: `Nothing was run: ${problem}.` };
  const refused = plans.filter((p) => p.kind === 'refused');
  if (refused.length) return { kind: 'refused', reasons: refused.map((p) => ({ statement: p.statement.text, reason: p.reason })) };
  const writes = plans.filter((p) => p.kind === 'write');
  if (writes.length && !req.confirmed) return { kind: 'confirm', writes: writes.map((w) => w.note) };

  const started = performance.now();
  let last: Awaited<ReturnType<typeof streamQuery>> | undefined;
  for (const [i, plan] of plans.entries()) {
    const isLast = i === plans.length - 1;
    try {
      last = await runPlan(e, plan, isLast ? req.maxRows : 0, req.isCancelled);
    } catch (err) {
      if (err instanceof CancelledError) return { kind: 'cancelled', elapsedMs: performance.now() - started };
      return { kind: 'error', ...placeInText(plan, err) };
    }
  }
  return {
    kind: 'result',
    chunks: last!.chunks,
    rows: last!.rows,
    capped: last!.capped,
    maxRows: req.maxRows,
    elapsedMs: performance.now() - started,
    statements: plans.length,
    notes: writes.map((w) => w.note),
    wroteScratch: writes.length > 0,
  };
}

/** Makes sure the scratch catalog exists (in memory, for this session only). */
export async function ensureScratch(e: WasmEngine): Promise<void> {
  await e.exec(`attach if not exists ':memory:' as ${SCRATCH}`);
}

async function runPlan(e: WasmEngine, plan: StatementPlan, maxRows: number, isCancelled?: () => boolean) {
  if (plan.kind === 'refused') throw new Error(plan.reason);
  if (plan.kind === 'write') await ensureScratch(e);
  await e.exec('begin transaction');
  let done = false;
  try {
    if (plan.kind === 'write') {
      await e.exec(`create schema if not exists ${SCRATCH}.${quoteIdent(plan.target.schema)}`);
      if (plan.copyOf) {
        await e.exec(`create table if not exists ${scratchName(plan.target)} as select * from ${quoteIdent(plan.copyOf.schema)}.${quoteIdent(plan.copyOf.name)}`);
      }
    }
    // Preparing proves that the text is exactly one statement (DuckDB refuses several).
    e.conn.prepare(plan.sql).close();
    const result = await streamQuery(e, plan.sql, { maxRows, isCancelled });
    done = plan.kind === 'write';
    return result;
  } finally {
    await e.exec(done ? 'commit' : 'rollback').catch(() => undefined);
  }
}

/** The error's message, and its offset in the console text (undoing a target rewrite). */
function placeInText(plan: StatementPlan, err: unknown): { message: string; offset?: number } {
  const raw = rawErrorText(err);
  const sql = plan.kind === 'refused' ? plan.statement.text : plan.sql;
  const { message, offset } = placeError(raw, sql);
  if (offset === undefined) return { message };
  let local = offset;
  if (plan.kind === 'write') {
    const { from, to, originalTo } = plan.rewrite;
    if (local >= to) local -= to - originalTo;
    else if (local > from) local = from;
  }
  return { message, offset: plan.statement.from + local };
}
