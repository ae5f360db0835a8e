/**
 * The cheaper trim (validate.ts `trimmed`, written out in the silver models) gives what
 * DuckDB's trim gives for every value: tried on every Unicode code point at either end, in
 * the middle, doubled and alone, on both engines; and the silver models spell it exactly so.
 */
import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { NativeEngine } from '../../src/duckdb/native-engine.ts';
import type { SqlEngine } from '../../src/duckdb/sql-engine.ts';
import { trimmed } from '../../src/pipeline/validate.ts';
import { testEngine } from '../helpers/pipeline.ts';

/** Values built around every code point (surrogates are not characters), plus the edge cases. */
const VALUES = `
  with points as (select chr(cp::integer) as c from range(1, 1114112) t(cp) where cp < 55296 or cp > 57343),
  shapes as (
    select c as v from points union all select c || 'a' from points union all select 'a' || c from points
    union all select 'a' || c || 'b' from points union all select c || c || 'x' || c from points
    union all select 'x' || c || ' ' from points
  )
  select v from shapes
  union all select unnest([null, '', ' ', '  ', chr(160), ' a', 'a ', ' a ', 'a b', '!', '~', chr(127), chr(9) || 'a' || chr(9)])`;

async function differences(engine: SqlEngine): Promise<{ values: number; differ: number; trimmedAway: number }> {
  const [row] = await engine.query<{ values: number; differ: number; trimmedAway: number }>(
    `select count(*)::integer as "values", count_if(${trimmed('v')} is distinct from trim(v))::integer as differ,
       count_if(trim(v) is distinct from v)::integer as "trimmedAway"
     from (${VALUES})`,
  );
  return row;
}

describe('trimmed(x) is trim(x)', () => {
  it('on DuckDB-WASM, for every code point', async () => {
    const result = await differences(await testEngine());
    expect(result.differ).toBe(0);
    // the values do exercise the fallback: 17 space characters, at either end
    expect(result.trimmedAway).toBeGreaterThan(17 * 4);
    expect(result.values).toBeGreaterThan(6 * 1_100_000);
  }, 120_000);

  it('on native DuckDB, for every code point', async () => {
    const engine = await NativeEngine.open({ threads: 1 });
    try {
      expect((await differences(engine)).differ).toBe(0);
    } finally {
      await engine.close();
    }
  }, 120_000);

  it('is spelled exactly as trimmed() in the silver models', async () => {
    const dir = new URL('../../models/silver/', import.meta.url);
    let spelled = 0;
    for (const name of await readdir(dir)) {
      const sql = (await readFile(new URL(name, dir), 'utf8')).replace(/\s+/g, ' ');
      for (const [text, column] of sql.matchAll(/case when not prefix\((\w+), ' '\).*? end/g)) {
        expect(`(${text})`).toBe(trimmed(column).replace(/\s+/g, ' '));
        spelled++;
      }
    }
    expect(spelled).toBeGreaterThan(0);
  });
});
