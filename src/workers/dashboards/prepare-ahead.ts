/**
 * Preparing ahead: once a page has answered a filter state, and while nothing else wants
 * the engine, the statements of the states one step away (./next-states.ts) are
 * prepared — not run — and kept with the others (./statements.ts), so the next click
 * skips DuckDB's parse, bind and plan (10–17 ms per new shape in the browser). Mosaic
 * does the same kind of thing when a view is first interacted with (it builds its
 * indexes then). One candidate at a time, each in its own turn of the message loop: a
 * request waits at most for the one prepare under way. A round ends when every
 * candidate is kept, or stops when another page request arrives, a run starts, results
 * are restored, or the tables are built again. The answers never change: a candidate's
 * statement is the very text the page would prepare itself, and it is only prepared.
 */
import type { SqlValue } from '../../duckdb/sql-engine.ts';
import type { WasmEngine } from '../../duckdb/wasm-engine.ts';
import { onResultsStored, onRunStart, withIdleEngine } from '../engine-access.ts';
import { currentBase } from './base.ts';
import { isAnswerKnown } from './cache.ts';
import { nextStates, type NextState } from './next-states.ts';
import { chartQueries, pageDimensions, pageStatementText, wallClock, type PageRequest } from './pages.ts';
import { isPrepared, prepareOnly } from './statements.ts';

/** How a round ended (reported once per round, for the page's signal and the benchmark). */
export interface PreparedAhead {
  /** True when every candidate is prepared (or was kept); false when the round was stopped. */
  complete: boolean;
  /** Candidate states, statements prepared by the round, and the ms those prepares took. */
  candidates: number;
  prepared: number;
  prepareMs: number;
  /** Wall-clock ms from the page's answer to the round's end. */
  ms: number;
}

/** The current round; a new request, a run or a restore makes every earlier one stale. */
let round = 0;

export function stopPreparingAhead(): void {
  round++;
}

onRunStart(() => stopPreparingAhead());
onResultsStored(() => stopPreparingAhead());

const key = (q: { sql: string; params: SqlValue[] }) => JSON.stringify([q.sql, q.params]);

/**
 * Starts a round for the state `req` the page has just answered; `report` is called once
 * when it ends or stops. Nothing happens to the answers: only statements are prepared.
 */
export function prepareAhead(engine: WasmEngine, req: PageRequest, report?: (outcome: PreparedAhead) => void): void {
  const mine = ++round;
  const wanted = () => mine === round;
  const started = wallClock();
  const outcome: PreparedAhead = { complete: false, candidates: 0, prepared: 0, prepareMs: 0, ms: 0 };
  const end = (complete: boolean) => report?.({ ...outcome, complete, ms: wallClock() - started });
  // The tables the state was answered from: the round stops when they are built again.
  const tables = currentBase(engine);
  const dict = tables?.aggregates;
  // Over the plain base (or on the quality page) nothing is prepared: its queries are not kept.
  if (!tables || !dict || chartQueries(dict, req).length === 0) {
    queueMicrotask(() => end(true));
    return;
  }
  let steps: NextState[] = [];
  let current: string[] = [];
  // One candidate per turn of the message loop: plan it, prepare it unless kept.
  const step = async (i: number): Promise<boolean | undefined> =>
    withIdleEngine(engine, (e) => {
      if (currentBase(e) !== tables) return false;
      if (i < 0) {
        steps = nextStates(req.filters, dict, pageDimensions(req.page));
        current = chartQueries(dict, req).map(key);
        outcome.candidates = steps.length;
        return true;
      }
      const next = steps[i];
      const nextReq = { ...req, filters: next.filters };
      // A removal is the exact state: its charts are asked unless remembered. An addition's
      // value is a stand-in: the charts it changes are asked, those it leaves are remembered.
      const sql = pageStatementText(dict, nextReq, next.kind === 'remove'
        ? (q) => !isAnswerKnown(e, tables.oid, q.sql, q.params)
        : (q, n) => key(q) !== current[n]);
      if (sql === undefined || isPrepared(e, tables, sql)) return true;
      outcome.prepareMs += prepareOnly(e, tables, sql);
      outcome.prepared++;
      return true;
    }, wanted);
  void (async () => {
    if ((await step(-1)) !== true) return end(false);
    for (let i = 0; i < steps.length; i++) if ((await step(i)) !== true) return end(false);
    end(true);
  })().catch(() => end(false));
}
