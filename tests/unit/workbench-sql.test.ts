/** The console's SQL handling: splitting, what may run, rewrites into scratch, error positions. */
import { describe, expect, it } from 'vitest';
import { lineColumn, placeError } from '../../src/sql/error-position.ts';
import { isQuery, planStatements, type StatementPlan } from '../../src/sql/guard.ts';
import { splitStatements } from '../../src/sql/tokens.ts';

const kinds = (text: string) => planStatements(text).plans.map((p) => p.kind);
const only = (text: string): StatementPlan => {
  const { plans, problem } = planStatements(text);
  expect(problem).toBeUndefined();
  expect(plans).toHaveLength(1);
  return plans[0];
};

describe('splitting statements', () => {
  it('splits at semicolons outside strings, identifiers and comments', () => {
    const text = `select ';' as a; -- c;\nselect "x;y" from t /* a; /* nested; */ still; */ ; select $tag$ ; $tag$, E'\\';', 'it''s;'`;
    const { statements } = splitStatements(text);
    expect(statements.map((s) => s.text)).toEqual([
      `select ';' as a`,
      `select "x;y" from t`,
      `select $tag$ ; $tag$, E'\\';', 'it''s;'`,
    ]);
    expect(text.slice(statements[1].from, statements[1].to)).toBe(statements[1].text);
  });

  it('leaves out empty statements and reports unfinished text', () => {
    expect(splitStatements(';; -- only a comment\n;').statements).toEqual([]);
    expect(splitStatements("select 'open").unterminated).toBe('string');
    expect(splitStatements('select /* open /* */').unterminated).toBe('comment');
    expect(planStatements('  ').problem).toBe('there is no statement to run');
  });
});

describe('what the console may run', () => {
  it('runs queries and descriptions directly', () => {
    for (const sql of [
      'select 1', 'from gold.fact_sales', '(select 1) union all (select 2)', 'values (1), (2)', 'table gold.fact_sales',
      'describe gold.fact_sales', 'show tables', 'summarize gold.fact_sales', "pragma table_info('gold.fact_sales')",
      'with a as (select 1), b as materialized (from a) select * from b', 'explain select 1', 'explain analyze select 1',
      'pivot kpi.sales_by_month on year using sum(sales)', 'select "delete" from t where "drop" = 1',
    ]) expect(only(sql).kind, sql).toBe('read');
  });

  it('refuses what would leave the current results or change the engine', () => {
    for (const [sql, reason] of [
      ["attach 'x.db' as x", /attach/],
      ['use scratch', /switch databases/],
      ['detach stage_1', /detach/],
      ['set threads = 1', /settings/],
      ["copy gold.fact_sales to 'x.csv'", /CSV or Parquet button/],
      ["export database 'x'", /files/],
      ['install json', /offline/],
      ['load json', /offline/],
      ['drop table gold.fact_sales', /cannot be dropped/],
      ['drop view v', /scratch tables only/],
      ['create view v as select 1', /views cannot be created/],
      ['create macro total_sales(x) as 1', /create macro is not allowed/],
      ['create temp table t as select 1', /temporary tables/],
      ['pragma enable_profiling', /only pragmas/],
      ['checkpoint', /not allowed/],
      ['begin transaction', /transactions/],
      ['explain analyze delete from gold.fact_sales', /explain works here only/],
      ['with x as (select 1) select 1; drop table x, y', /drop one table at a time/],
      ['create table stage_1.gold.x as select 1', /schema\.table/],
    ] as const) {
      const plan = planStatements(sql).plans.find((p) => p.kind === 'refused');
      expect(plan, sql).toBeDefined();
      if (plan?.kind === 'refused') expect(plan.reason, sql).toMatch(reason);
    }
  });

  it('refuses a whole text when any statement is refused', () => {
    expect(kinds('select 1; set threads = 1')).toEqual(['read', 'refused']);
  });

  it('redirects writes into the scratch catalog', () => {
    const created = only('create table top as select 1');
    expect(created).toMatchObject({ kind: 'write', sql: 'create table scratch."main"."top" as select 1', target: { schema: 'main', name: 'top' }, note: 'creates scratch.top' });
    const mine = only('insert into scratch.top values (2)');
    expect(mine).toMatchObject({ kind: 'write', sql: 'insert into scratch."main"."top" values (2)', copyOf: undefined });
    const deep = only('drop table if exists Scratch.gold.fact_sales');
    expect(deep).toMatchObject({ kind: 'write', target: { schema: 'gold', name: 'fact_sales' } });
  });

  it('acts on a scratch copy when a statement would change a stored table', () => {
    const plan = only('delete from gold.fact_sales where quantity > 1');
    expect(plan).toMatchObject({
      kind: 'write',
      sql: 'delete from scratch."gold"."fact_sales" where quantity > 1',
      copyOf: { schema: 'gold', name: 'fact_sales' },
      target: { schema: 'gold', name: 'fact_sales' },
    });
    if (plan.kind === 'write') expect(plan.note).toMatch(/copy of gold\.fact_sales .* itself stays as it is/);
    expect(only('update kpi.overview set total_sales = 0')).toMatchObject({ kind: 'write', copyOf: { schema: 'kpi', name: 'overview' } });
    expect(only('insert or replace into "gold"."dim_customers" select 1')).toMatchObject({ kind: 'write', copyOf: { schema: 'gold', name: 'dim_customers' } });
    expect(only('alter table gold.fact_sales add column x int')).toMatchObject({ kind: 'write', copyOf: { schema: 'gold', name: 'fact_sales' } });
    expect(only('create or replace table gold.fact_sales as select 1')).toMatchObject({ kind: 'write', copyOf: undefined, sql: 'create or replace table scratch."gold"."fact_sales" as select 1' });
    expect(only('with x as (select 1) insert into gold.t select * from x')).toMatchObject({ kind: 'write', copyOf: { schema: 'gold', name: 't' } });
  });

  it('knows a query (what a model may be) from other statements', () => {
    const statement = (sql: string) => splitStatements(sql).statements[0];
    expect(isQuery(statement('-- grain: x\nwith a as (select 1) select * from a'))).toBe(true);
    expect(isQuery(statement('describe gold.fact_sales'))).toBe(false);
    expect(isQuery(statement('create table x as select 1'))).toBe(false);
  });
});

describe('error positions', () => {
  it('reads LINE excerpts with a caret, also on cut long lines and later lines', () => {
    expect(placeError('Binder Error: Referenced column "nope" not found in FROM clause!\nCandidate bindings: "i"\n\nLINE 1: select \'é€ü\' as a, nope from big\n                           ^', "select 'é€ü' as a, nope from big"))
      .toEqual({ message: 'Binder Error: Referenced column "nope" not found in FROM clause!\nCandidate bindings: "i"', offset: 19 });
    const long = `select ${Array.from({ length: 40 }, (_, i) => `i as column_number_${i}`).join(', ')}, nope from big`;
    const excerpt = '...n_number_38, i as column_number_39, nope from big';
    const cut = placeError(`Binder Error: x\n\nLINE 1: ${excerpt}\n${' '.repeat(8 + excerpt.indexOf('nope'))}^`, long);
    expect(long.slice(cut.offset!, cut.offset! + 4)).toBe('nope');
    const multi = 'select\n  i,\n  nope\nfrom big';
    const placed = placeError('Binder Error: x\n\nLINE 3:   nope\n          ^', multi);
    expect(multi.slice(placed.offset!, placed.offset! + 4)).toBe('nope');
    expect(lineColumn(multi, placed.offset!)).toEqual({ line: 3, column: 3 });
  });

  it('reads JSON errors with a byte position, and errors at the end of the input', () => {
    const sql = "select 'é' fro big";
    const raw = JSON.stringify({ exception_type: 'Parser', exception_message: 'syntax error at or near "fro"', position: '12' });
    expect(placeError(raw, sql)).toEqual({ message: 'Parser Error: syntax error at or near "fro"', offset: 11 });
    expect(placeError('Parser Error: syntax error at end of input', 'select 1 +  ')).toEqual({ message: 'Parser Error: syntax error at end of input', offset: 10 });
    expect(placeError('Error: Out of Memory Error: no', 'select 1')).toEqual({ message: 'Out of Memory Error: no' });
  });
});
