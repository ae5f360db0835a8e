/**
 * What the dashboards read, built once per results catalog (temp tables and an
 * attached catalog survive the catalog swap of the next run, so they are rebuilt when
 * `current_database()` changes): the aggregates of ./aggregates.ts, or — when the data
 * does not allow them — the plain base below, every sales line with the attributes the
 * filters and charts need. Kept narrow for memory: facts hold integer keys; the
 * attributes sit in two small tables (products; distinct customer attribute
 * combinations) joined by the view.
 */
import type { SqlEngine } from '../../duckdb/sql-engine.ts';
import type { WasmEngine } from '../../duckdb/wasm-engine.ts';
import { buildAggregates, dropAggregates } from './aggregates.ts';
import { loadDictionary, type Dictionary } from './codes.ts';
import { closeStatements } from './statements.ts';

/** The view every chart query reads (through its `lines` CTE). */
export const BASE_VIEW = 'temp.dash_lines';

const BUILD = [
  `create or replace temp table dash_products as
   select
       product_key::integer as product_key,
       product_id,
       coalesce(product_name, 'n/a') as product_name,
       coalesce(category, 'n/a') as category,
       coalesce(subcategory, 'n/a') as subcategory,
       coalesce(product_line, 'n/a') as product_line,
   from gold.dim_products`,
  // one row per customer with its attributes, then one id per distinct combination
  `create or replace temp table dash_customer_attrs as
   select
       c.customer_key::integer as customer_key,
       coalesce(c.country, 'n/a') as country,
       coalesce(c.gender, 'n/a') as gender,
       coalesce(c.marital_status, 'n/a') as marital_status,
       coalesce(s.value_segment, 'n/a') as value_segment,
       coalesce(s.rfm_segment, 'n/a') as rfm_segment,
   from gold.dim_customers as c
   left join segmentation.customer_segments as s on s.customer_key = c.customer_key`,
  `create or replace temp table dash_groups as
   select row_number() over (order by country, gender, marital_status, value_segment, rfm_segment)::integer as group_id, *
   from (select distinct * exclude (customer_key) from temp.dash_customer_attrs)`,
  // order numbers as dense integers: the same distinct count, far cheaper to count
  `create or replace temp table dash_facts as
   with
   orders as (
       select order_number, row_number() over ()::integer as order_id
       from (select distinct order_number from gold.fact_sales)
   ),
   customer_groups as (
       select a.customer_key, g.group_id
       from temp.dash_customer_attrs as a
       join temp.dash_groups as g using (country, gender, marital_status, value_segment, rfm_segment)
   )
   select
       o.order_id as order_number,
       f.order_date,
       f.sales_amount,
       f.quantity,
       f.customer_key::integer as customer_key,
       f.product_key::integer as product_key,
       cg.group_id,
   from gold.fact_sales as f
   left join orders as o on o.order_number = f.order_number
   left join customer_groups as cg on cg.customer_key = f.customer_key`,
  'drop table temp.dash_customer_attrs',
  `create or replace temp view dash_lines as
   select
       f.*,
       coalesce(p.product_name, 'n/a') as product_name,
       coalesce(p.category, 'n/a') as category,
       coalesce(p.subcategory, 'n/a') as subcategory,
       coalesce(p.product_line, 'n/a') as product_line,
       coalesce(g.country, 'n/a') as country,
       coalesce(g.gender, 'n/a') as gender,
       coalesce(g.marital_status, 'n/a') as marital_status,
       coalesce(g.value_segment, 'n/a') as value_segment,
       coalesce(g.rfm_segment, 'n/a') as rfm_segment,
   from temp.dash_facts as f
   left join temp.dash_products as p on p.product_key = f.product_key
   left join temp.dash_groups as g on g.group_id = f.group_id`,
];

const DROP = 'drop view if exists temp.dash_lines; drop table if exists temp.dash_facts; drop table if exists temp.dash_groups; drop table if exists temp.dash_products; drop table if exists temp.dash_customer_attrs;';

/** What was built for one results catalog. */
export interface Base {
  /** The results catalog's oid (unique per attach). */
  oid: number;
  /** The codes of the aggregates; null when the plain base was built instead. */
  aggregates: Dictionary | null;
}

/** Per engine, what was built, and for which results catalog. */
const builtFor = new WeakMap<SqlEngine, Base>();

/** Identifies the current results: the oid of the results catalog (unique per attach). */
export async function resultsOid(e: SqlEngine): Promise<number> {
  const [{ oid }] = await e.query<{ oid: number }>(
    'select database_oid::bigint as oid from duckdb_databases() where database_name = current_database()',
  );
  return oid;
}

/** Per engine, the build under way and the results catalog it is for. */
const building = new WeakMap<SqlEngine, { oid: number; base: Promise<Base> }>();

/**
 * Builds the aggregates (or the plain base) unless they were built for the current
 * results catalog already. A call while a build for the same results is under way (the
 * build yields between statements while the results are saved) waits for that build.
 * `onStep` hears the progress of a build this call starts.
 */
export async function ensureBase(e: SqlEngine, onStep?: (done: number, total: number) => void): Promise<Base> {
  const oid = await resultsOid(e);
  const known = builtFor.get(e);
  if (known?.oid === oid) return known;
  const underWay = building.get(e);
  if (underWay?.oid === oid) return underWay.base;
  const base = build(e, oid, onStep).finally(() => {
    if (building.get(e)?.base === base) building.delete(e);
  });
  building.set(e, { oid, base });
  return base;
}

async function build(e: SqlEngine, oid: number, onStep?: (done: number, total: number) => void): Promise<Base> {
  builtFor.delete(e);
  // The old ones go first: their memory is needed for the new ones.
  await dropBase(e);
  let base: Base;
  if (await buildAggregates(e, onStep)) base = { oid, aggregates: await loadDictionary(e) };
  else {
    try {
      for (const sql of BUILD) await e.exec(sql);
    } catch (err) {
      await e.exec(DROP).catch(() => undefined);
      throw err;
    }
    base = { oid, aggregates: null };
  }
  builtFor.set(e, base);
  return base;
}

/** What was built for the engine's results, as last checked by ensureBase (undefined: nothing, or dropped). */
export function currentBase(e: SqlEngine): Base | undefined {
  return builtFor.get(e);
}

/** Forgets what was built (new results arrived, or a run starts); its memory is freed now. */
export async function dropBase(e: SqlEngine): Promise<void> {
  builtFor.delete(e);
  if ('conn' in e) closeStatements(e as WasmEngine);
  await e.exec(DROP);
  await dropAggregates(e);
}
