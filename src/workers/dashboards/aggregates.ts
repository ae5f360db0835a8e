/**
 * The dashboard aggregates (./sql/aggregates/build.sql): coded lines, orders, buyers and
 * cubes by month, built once per results. A chart under any filter reads these instead
 * of every sales line (./plan.ts says which). They are exact only while every order has
 * one customer and at most one order day, and while the codes and the class bits fit
 * their types: when the data breaks that, they are dropped and the dashboards read the
 * plain base of ./base.ts.
 */
import type { SqlEngine } from '../../duckdb/sql-engine.ts';
import { quoteIdent } from '../../sql/quote.ts';
import { splitStatements } from '../../sql/tokens.ts';
import { nextTask } from '../../shared/next-task.ts';

const BUILD = Object.values(import.meta.glob('./sql/aggregates/build.sql', { query: '?raw', import: 'default', eager: true }) as Record<string, string>)[0];

/**
 * The build's statements, run one by one with a turn of the message loop between them:
 * after a run the results are saved meanwhile (../storage/storage-api.ts), and the save
 * goes on between statements. Split on first use, not when the worker starts.
 */
let buildStatements: string[] | undefined;
const statementsOfBuild = () => (buildStatements ??= splitStatements(BUILD).statements.map((s) => s.text));

/**
 * The aggregates' tables: dash_agg is detached (its tables go with it); the temp tables are
 * every `temp.dash_*` table there is, read from the catalog, so a table added to the build
 * cannot be left behind.
 */
async function dropAll(e: SqlEngine): Promise<void> {
  await e.exec('detach database if exists dash_agg;');
  const tables = await e.query<{ name: string }>(
    "select table_name as name from duckdb_tables() where database_name = 'temp' and starts_with(table_name, 'dash_')",
  );
  if (tables.length) await e.exec(tables.map((t) => `drop table if exists temp.${quoteIdent(t.name)};`).join('\n'));
}

/**
 * Builds the aggregates; false (and nothing kept) when the data does not allow them.
 * `onStep` hears after each statement how many of the build's are done.
 */
export async function buildAggregates(e: SqlEngine, onStep?: (done: number, total: number) => void): Promise<boolean> {
  await dropAll(e);
  try {
    await e.exec(`attach ':memory:' as dash_agg (compress);`);
    const statements = statementsOfBuild();
    for (const [i, sql] of statements.entries()) {
      await e.exec(sql);
      onStep?.(i + 1, statements.length);
      await nextTask();
    }
    const [{ split }] = await e.query<{ split: number }>('select count(*) filter (where not single)::integer as split from dash_agg.orders');
    if (split === 0) return true;
  } catch {
    // More than 64 product classes or 255 values of a dimension: the codes do not fit.
  }
  await dropAll(e);
  return false;
}

export async function dropAggregates(e: SqlEngine): Promise<void> {
  await dropAll(e);
}
