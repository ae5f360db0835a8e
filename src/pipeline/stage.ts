/**
 * Build-then-swap with DuckDB catalogs: each run builds into a fresh in-memory
 * catalog made the default with `use`; unqualified `gold.fact_sales` then resolves
 * to it. Success keeps it and detaches the previous one; failure switches back.
 */
import type { SqlEngine } from '../duckdb/sql-engine.ts';
import { LAYERS } from './dag.ts';
import { assertSimpleName } from '../sql/quote.ts';

export interface Stage {
  name: string;
  previous: string;
}

export async function openStage(engine: SqlEngine, runDate: string): Promise<Stage> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(runDate)) throw new Error(`run date must be yyyy-mm-dd, got ${runDate}`);
  const [{ current }] = await engine.query<{ current: string }>('select current_database() as current');
  const names = await engine.query<{ name: string }>('select database_name as name from duckdb_databases()');
  const used = names.map((r) => Number(/^stage_(\d+)$/.exec(r.name)?.[1] ?? 0));
  const name = assertSimpleName(`stage_${Math.max(0, ...used) + 1}`);
  // (compress): in-memory tables are stored like a database file (dictionary, FSST, constants),
  // not as raw 16-byte strings. A scale-100 run's tables shrink from about 2.9 GiB to 0.4 GiB,
  // which is what lets 6 M sales lines fit DuckDB-WASM's 3.1 GiB limit (bench/README.md).
  await engine.exec(`attach ':memory:' as ${name} (compress); use ${name};`);
  for (const layer of LAYERS) await engine.exec(`create schema ${layer};`);
  // The pipeline's "today" (future birthdates): DuckDB-WASM has no current_date without ICU.
  await engine.exec(`set variable run_date = date '${runDate}';`);
  return { name, previous: current };
}

/** Keeps the staged results: the previous catalog is dropped. */
export async function commitStage(engine: SqlEngine, stage: Stage): Promise<void> {
  if (stage.previous !== 'memory') await engine.exec(`detach ${assertSimpleName(stage.previous)};`);
}

/** Throws the staged results away; the previous results stay the default. */
export async function abandonStage(engine: SqlEngine, stage: Stage): Promise<void> {
  await engine.exec(`use ${assertSimpleName(stage.previous)}; detach database if exists ${assertSimpleName(stage.name)};`);
}
