/**
 * The statement splitter against DuckDB's own parser (native DuckDB 1.4.3, the version
 * inside DuckDB-WASM): for a table of tricky texts and for generated ones, the splitter
 * finds exactly the statements DuckDB finds. A text it reads as one statement is one
 * statement to DuckDB, so nothing can hide a second one from the console or model checks.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { duckdbSpaces } from '../../src/sql/duckdb-spaces.ts';
import { checkModel } from '../../src/sql/model-check.ts';
import { planStatements } from '../../src/sql/guard.ts';
import { lexedText, splitStatements } from '../../src/sql/tokens.ts';

let conn: DuckDBConnection;
beforeAll(async () => {
  conn = await (await DuckDBInstance.create(':memory:')).connect();
});
afterAll(() => conn?.closeSync());

/** How many statements DuckDB's parser finds, or its error. */
async function duckdbCount(sql: string): Promise<number | string> {
  try {
    return (await conn.extractStatements(sql)).count;
  } catch (e) {
    return (e as Error).message;
  }
}

async function serialized(sql: string): Promise<string> {
  const reader = await conn.runAndReadAll('select json_serialize_sql($1::varchar)::varchar as j', [sql]);
  return String(reader.getRows()[0][0]);
}

const ours = (sql: string) => {
  const { statements, unterminated } = splitStatements(sql);
  return unterminated ? `unterminated ${unterminated}` : statements.length;
};

const LONG = 'a'.repeat(300);
/** [text, statements DuckDB finds]: every text parses in DuckDB. */
const CASES: [string, number][] = [
  ["select $é$ ' $é$; create table pwned as select 1; --'", 2],
  ["select $é$ ' $é$ as x; select 2", 2],
  [`select $${LONG}$ ; select 2 ; $${LONG}$ as x`, 1],
  ["select $漢字_9$ ; $漢字_9$, $😀$;$😀$, $_$;$_$, $a1$;$a1$, $$;$$", 1],
  ['select $a$ $b$a$; select 2', 2],
  ['select $a$a$ ; $a$', 1],
  ['select $ab$ $a$ ; $ab$', 1],
  ['select 1 --x\r; select 2', 2],
  ['select 1 --x\r\n; select 2', 2],
  ['select 1 /* a /* b */ ; */ ; select 2', 2],
  ['select 1 /*/ ; */ ; select 2', 2],
  ['select 1ee$x$; select 2; --$x$', 2],
  ['select 1e$x$; select 2; --$x$', 2],
  ['select 1 as x$y$; select 2; --$y$', 2],
  ["select e'\\'; select 2; --' as x", 1],
  ["select E'\\\\'; select 2; --'", 2],
  ["select 'it''s; fine' as x; select 2", 2],
  ['select "a;""b" as x; select 2', 2],
  ["select n'a;b', b'0;1', x'a;b'; select 2", 2],
  ['select 1_000 as x, .5 as y, 1.e5 as z, 0x1f; select 2', 2],
  // DuckDB turns these spaces into plain spaces: a typed literal, one statement.
  ...['\u00a0', '\u2000', '\u200b', '\u202f', '\u205f', '\u2060', '\u3000', '\ufeff'].map((space): [string, number] => [`select varchar${space}$y$; select 2; --$y$`, 1]),
  // These it does not: they belong to a name, and `;` ends the statement.
  ...['\u1680', '\u2028', '\u2029', '\u0085', '\u00ad'].map((space): [string, number] => [`select varchar${space}$y$; select 2; --$y$`, 2]),
  // Inside quotes and comments the spaces stay; inside a block comment they are replaced (nothing changes).
  ["select '\u00a0' as x /* \u00a0 */; select 2 -- \u00a0", 2],
];

describe('the statement splitter reads text as DuckDB does', () => {
  it('finds exactly the statements DuckDB finds in a table of tricky texts', async () => {
    for (const [sql, count] of CASES) {
      expect(await duckdbCount(sql), `DuckDB on ${JSON.stringify(sql)}`).toBe(count);
      expect(ours(sql), JSON.stringify(sql)).toBe(count);
    }
  });

  it('refuses the issue\'s model and a NUL character, where DuckDB would stop reading', async () => {
    const model = "-- grain: one row\nselect $é$ ' $é$; create table pwned as select 1; --'";
    expect(checkModel('models/kpi/x.sql', model, []).map((p) => p.message)).toContain('a model is exactly one query; this text has 2 statements');
    expect(await duckdbCount('select 1\0; select 2')).toBe(1);
    expect(planStatements('select 1\0; select 2').problem).toMatch(/NUL/);
  });

  it('refuses a statement that DuckDB would read differently once it runs on its own', async () => {
    // In the whole text DuckDB's space scan takes `e'\\''` for an open quote and keeps the U+00A0
    // (a name character); in the second statement alone it turns it into a space.
    const text = "select e'\\''; select 1 as a\u00a0b";
    expect(await duckdbCount(text)).toBe(2);
    expect(await duckdbCount('select 1 as a\u00a0b')).toMatch(/syntax error/);
    const { plans } = planStatements(text);
    expect(plans.map((p) => p.kind)).toEqual(['read', 'refused']);
  });

  it('replaces Unicode spaces where DuckDB does, and nowhere else', () => {
    expect(duckdbSpaces('select\u00a01 as "a\u00a0b", \'\u3000\' -- \u2000\n, 2\u2060')).toBe('select 1 as "a\u00a0b", \'\u3000\' -- \u2000\n, 2 ');
    // The scan stops two bytes short of the end: a last U+00A0 (two bytes) stays.
    expect(duckdbSpaces('select 1 , 2\u00a0')).toBe('select 1 , 2\u00a0');
    expect(duckdbSpaces('select 1 , 2\u00a0 ')).toBe('select 1 , 2  ');
    expect(duckdbSpaces('select $_\u00a0$ , $t\u00a0$\u00a0$t\u00a0$ , 1')).toBe('select $_ $ , $t\u00a0$\u00a0$t\u00a0$ , 1');
  });

  it('agrees with DuckDB on generated texts', async () => {
    const piece = fc.constantFrom(';', "'", "''", '"', '$', '$$', '$a$', '$é$', '$_$', '\\', '-', '--', '*', '/', '/*', '*/', '\n', '\r', ' ', 'a', 'é', '1', 'e', 'E', '_', '\u00a0', '\u1680', '\u3000', '😀', 'x', '.', '+');
    const content = fc.array(piece, { maxLength: 10 }).map((p) => p.join(''));
    const tag = fc.array(fc.constantFrom('a', 'Z', '_', '1', 'é', '漢', '😀', '\u00a0', '\u2060', 'x'), { maxLength: 8 }).map((t) => t.join(''));
    const literal = fc.oneof(
      content.map((c) => `'${c.replaceAll("'", "''")}'`),
      content.map((c) => `e'${c.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`),
      fc.tuple(tag, content).map(([t, c]) => `$${t}$${c}$${t}$`),
      fc.constantFrom('1', '1.5', '.5', '1e3', '1_000', '1e', '1ee', '0x1f', 'varchar'),
    );
    const gap = fc.oneof(
      fc.constantFrom(' ', '\n', '\t', '\f', '\u00a0', '\u3000', '\u1680', '\u2060'),
      content.map((c) => `--${c.replace(/[\n\r]/g, '')}${'\n'}`),
      content.map((c) => `--${c.replace(/[\n\r]/g, '')}\r`),
      content.map((c) => `/*${c.replaceAll('/*', '').replaceAll('*/', '')}*/`),
    );
    const item = fc.tuple(gap, literal, fc.option(fc.tuple(gap, content.filter((c) => c.length > 0)))).map(([g, lit, alias]) =>
      `${g}${lit}${alias ? ` as${alias[0]}"${alias[1].replaceAll('"', '""')}"` : ''}`);
    const statement = fc.array(item, { minLength: 1, maxLength: 3 }).map((items) => `select${items.join(',')}`);
    const text = fc.tuple(fc.array(statement, { minLength: 1, maxLength: 3 }), gap).map(([s, g]) => s.join(`;${g}`));
    let parsed = 0;
    await fc.assert(fc.asyncProperty(text, async (sql) => {
      const count = await duckdbCount(sql);
      if (typeof count !== 'number') return;
      parsed++;
      expect(ours(sql), JSON.stringify(sql)).toBe(count);
      // DuckDB reads the text with our space replacements exactly as the original.
      if (count === 1) expect(await serialized(lexedText(sql)), JSON.stringify(sql)).toBe(await serialized(sql));
    }), { numRuns: 1500, seed: 20260516 });
    // Most generated texts are valid SQL, so the property says something.
    expect(parsed).toBeGreaterThan(500);
  });
});
