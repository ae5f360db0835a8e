/**
 * The dashboard aggregates (./sql/aggregates/build.sql): coded lines, orders, buyers and
 * cubes by month, built once per results. A chart under any filter reads these instead
 * of every sales line (./plan.ts says which). They are exact only while every order has
 * one customer and at most one order day, and while the codes and the class bits fit
 * their types: when the data breaks that, they are dropped and the dashboards read the
 * plain base of ./base.ts.
 */
import type { SqlEngine } from '../../duckdb/sql-engine.ts';

const BUILD = Object.values(import.meta.glob('./sql/aggregates/build.sql', { query: '?raw', import: 'default', eager: true }) as Record<string, string>)[0];

const DROP = `detach database if exists dash_agg;
drop table if exists temp.dash_cube; drop table if exists temp.dash_order_cube; drop table if exists temp.dash_order_masks;
drop table if exists temp.dash_buyers; drop table if exists temp.dash_buyer_cube; drop table if exists temp.dash_top_buyers; drop table if exists temp.dash_buyer_masks; drop table if exists temp.dash_buyer_orders; drop table if exists temp.dash_product_cube; drop table if exists temp.dash_codes;
drop table if exists temp.dash_cube_pc; drop table if exists temp.dash_cube_cm; drop table if exists temp.dash_cube_pm;
drop table if exists temp.dash_product_cube_pc; drop table if exists temp.dash_product_cube_pm;
drop table if exists temp.dash_day_cube; drop table if exists temp.dash_day_cube_pm; drop table if exists temp.dash_day_cube_cm; drop table if exists temp.dash_day_product_cube_pm;
drop table if exists temp.dash_day_order_cube; drop table if exists temp.dash_buyer_months;
drop table if exists temp.dash_products; drop table if exists temp.dash_groups; drop table if exists temp.dash_customer_groups;`;

/** Builds the aggregates; false (and nothing kept) when the data does not allow them. */
export async function buildAggregates(e: SqlEngine): Promise<boolean> {
  await e.exec(DROP);
  try {
    await e.exec(`attach ':memory:' as dash_agg (compress);`);
    await e.exec(BUILD);
    const [{ split }] = await e.query<{ split: number }>('select count(*) filter (where not single)::integer as split from dash_agg.orders');
    if (split === 0) return true;
  } catch {
    // More than 64 product classes or 255 values of a dimension: the codes do not fit.
  }
  await e.exec(DROP);
  return false;
}

export async function dropAggregates(e: SqlEngine): Promise<void> {
  await e.exec(DROP);
}
