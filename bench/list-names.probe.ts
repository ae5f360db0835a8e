/**
 * What a customer list's names cost at scale 100, in Node on the same wasm engine: 20 or 100
 * customers joined with the 1.8 million rows of gold.dim_customers (every column of every row is
 * read), against the narrower or smaller tables and the query shapes that could replace it.
 * Needs the gold tables kept by ./dash-relations.probe.ts (PROBE_CACHE).
 *   PROBE_CACHE=/tmp/d15-gold100 npx vitest run --config bench/vitest.probe.config.ts bench/list-names.probe.ts
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { it } from 'vitest';
import { testEngine } from '../tests/helpers/pipeline.ts';

const CACHE = process.env.PROBE_CACHE ?? '/tmp/d15-gold100';
const TABLES = ['gold.dim_customers', 'segmentation.customer_segments'];
it('names', { timeout: 3_600_000 }, async () => {
  const e: any = await testEngine();
  const types = JSON.parse(readFileSync(path.join(CACHE, 'types.json'), 'utf8'));
  e.conn.query('create schema if not exists gold; create schema if not exists segmentation;');
  for (const t of TABLES) {
    e.conn.query(`create table ${t} (${types[t].map((c: any) => `"${c.name}" ${c.type}`).join(', ')})`);
    for (let k = 0; existsSync(path.join(CACHE, `${t}.${k}.arrow`)); k++) e.conn.insertArrowFromIPCStream(readFileSync(path.join(CACHE, `${t}.${k}.arrow`)), { schema: t.split('.')[0], name: t.split('.')[1], create: false });
  }
  const q = (s: string) => e.conn.query(s).toArray().map((r: any) => r.toJSON());
  console.log(q('select version() as v'));
  q('create temp table t20 as select customer_key::integer as customer_key from gold.dim_customers order by hash(customer_key) limit 100');
  q('create temp table names_sorted as select customer_key::integer as customer_key, first_name, last_name, customer_number, country from gold.dim_customers order by customer_key');
  q('create temp table seg_sorted as select * from segmentation.customer_segments order by customer_key');
  const time = (name: string, sql: string) => {
    const s = e.conn.prepare(sql); const ms: number[] = [];
    for (let i = 0; i < 7; i++) { const t = performance.now(); s.query(); ms.push(performance.now() - t); }
    s.close(); ms.sort((a, b) => a - b); console.log(name, ms[3].toFixed(1));
  };
  q('create temp table t20b as select * from t20 limit 20');
  q("create temp table label_buyers as select customer_key::integer as customer_key, trim(concat_ws(' ', first_name, last_name)) || ' (' || customer_number || ')' as customer, coalesce(country, 'n/a') as country from gold.dim_customers where customer_key % 16 < 9 order by customer_key");
  time('dim join 100', 'select t.customer_key, c.first_name, c.last_name, c.customer_number, c.country from t20 t left join gold.dim_customers c on c.customer_key = t.customer_key');
  time('dim join 20', 'select t.customer_key, c.first_name, c.last_name, c.customer_number, c.country from t20b t left join gold.dim_customers c on c.customer_key = t.customer_key');
  time('sorted copy, inner join 20', 'select t.customer_key, c.first_name, c.last_name, c.customer_number, c.country from t20b t join temp.names_sorted c on c.customer_key = t.customer_key');
  time('in-subquery 20', 'select c.customer_key, c.first_name, c.last_name, c.customer_number, c.country from temp.names_sorted c where c.customer_key in (select customer_key from t20b)');
  time('key column only 100', 'select count(*) from gold.dim_customers where customer_key in (select customer_key from t20)');
  time('segmentation join 100', 'select t.customer_key, s.* from t20 t left join segmentation.customer_segments s on s.customer_key = t.customer_key');
  time('two formatted columns of half the rows, 20', 'select t.customer_key, c.customer, c.country from t20b t left join temp.label_buyers c on c.customer_key = t.customer_key');
  const keys = q('select customer_key from t20b').map((r: any) => r.customer_key);
  time('constant in-list 20', `select c.customer_key, c.first_name, c.last_name, c.customer_number, c.country from temp.names_sorted c where c.customer_key in (${keys.join(',')})`);
  q('create temp table ranks as select customer_key::integer as customer_key, (row_number() over (order by total_sales desc, customer_key))::integer as rank from segmentation.customer_segments');
  q('create temp table top_names as select r.rank, c.customer_key::integer as customer_key, c.first_name, c.last_name, c.customer_number, c.country from gold.dim_customers c join temp.ranks r on r.customer_key = c.customer_key where r.rank <= 50000 order by r.rank');
  q('create temp table rank_names as select r.rank, c.customer_key::integer as customer_key, c.first_name, c.last_name, c.customer_number, c.country from gold.dim_customers c join temp.ranks r on r.customer_key = c.customer_key order by r.rank');
  q('create temp table tin as select customer_key from temp.ranks where rank <= 50000 order by hash(customer_key) limit 20');
  q('create temp table tmix as (select * from tin limit 15) union all (select customer_key from temp.ranks where rank > 50000 order by hash(customer_key) limit 5)');
  const union = (t: string) => `with named as (select t.customer_key, n.first_name, n.last_name, n.customer_number, n.country from ${t} t join temp.top_names n on n.customer_key = t.customer_key),
    rest as (select t.customer_key from ${t} t where t.customer_key not in (select customer_key from named))
    select * from named union all select r.customer_key, g.first_name, g.last_name, g.customer_number, g.country from rest r left join gold.dim_customers g on g.customer_key = r.customer_key`;
  time('dim join in', 'select t.customer_key, c.first_name, c.last_name, c.customer_number, c.country from tin t left join gold.dim_customers c on c.customer_key = t.customer_key');
  time('union in', union('tin'));
  time('union mix', union('tmix'));
  const byRank = (t: string) => `with ranked as (select t.customer_key, r.rank from ${t} t join temp.ranks r on r.customer_key = t.customer_key)
    select t.customer_key, n.first_name, n.last_name, n.customer_number, n.country from ranked t left join temp.rank_names n on n.rank = t.rank`;
  time('rank in', byRank('tin'));
  time('rank mix', byRank('tmix'));
  time('ranks only', 'select t.customer_key, r.rank from tin t join temp.ranks r on r.customer_key = t.customer_key');
  console.log(q(`explain analyze ${union('tin')}`).map((r: any) => r.explain_value).join('\n'));
});
