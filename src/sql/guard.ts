/**
 * What the console may run. Read-only statements run as they are; statements that
 * change data run only on the `scratch` catalog (their target is rewritten there,
 * stored tables are copied first) and only after the user confirmed; everything
 * else (attach, use, set, copy, install, drop of stored tables, ...) is refused.
 * The classification is by the statement's leading keywords, which fix its type
 * in DuckDB's grammar; reads additionally run in a transaction that is rolled back.
 */
import { LAYERS } from '../pipeline/dag.ts';
import { duckdbSpaces } from './duckdb-spaces.ts';
import { quoteIdent } from './quote.ts';
import { keyword, splitStatements, type SqlStatement, type Token } from './tokens.ts';

/** The catalog where the console may write; never persisted, never exported. */
export const SCRATCH = 'scratch';
/** Schemas of the stored results (`main` holds the measures). */
export const STORED_SCHEMAS: readonly string[] = [...LAYERS, 'main'];

export interface TableName {
  schema: string;
  name: string;
}

export type StatementPlan =
  | { kind: 'read'; statement: SqlStatement; sql: string }
  | {
    kind: 'write';
    statement: SqlStatement;
    /** The statement with its target rewritten into the scratch catalog. */
    sql: string;
    /** The table in the scratch catalog that the statement changes. */
    target: TableName;
    /** A stored table copied to `target` (if not there yet) before the statement runs. */
    copyOf?: TableName;
    /** What will happen, in words, for the confirmation. */
    note: string;
    /** Where the target was replaced (offsets in `sql`), to map error positions back. */
    rewrite: { from: number; to: number; originalTo: number };
  }
  | { kind: 'refused'; statement: SqlStatement; reason: string };

const READ_VERBS = new Set(['select', 'from', 'values', 'table', 'describe', 'show', 'summarize', 'pivot', 'unpivot', 'pivot_wider', 'pivot_longer']);
const QUERY_VERBS = new Set(['select', 'from', 'values', 'table', 'with', 'pivot', 'unpivot']);
const READ_PRAGMAS = new Set(['table_info', 'show', 'show_tables', 'show_tables_expanded', 'show_databases', 'database_list', 'database_size', 'functions', 'version', 'platform']);

const REFUSALS: Record<string, string> = {
  attach: 'the console always works on the current results; it cannot attach, detach or switch databases',
  detach: 'the console always works on the current results; it cannot attach, detach or switch databases',
  use: 'the console always works on the current results; it cannot attach, detach or switch databases',
  set: 'engine settings are fixed: the pipeline relies on them',
  reset: 'engine settings are fixed: the pipeline relies on them',
  copy: 'the console does not read or write files; download a result with the CSV or Parquet button instead',
  export: 'the console does not read or write files; download a result with the CSV or Parquet button instead',
  import: 'the console does not read or write files; download a result with the CSV or Parquet button instead',
  install: 'extensions are not available: everything runs offline',
  load: 'extensions are not available: everything runs offline',
  begin: 'each console statement runs on its own; transactions are managed for you',
  start: 'each console statement runs on its own; transactions are managed for you',
  commit: 'each console statement runs on its own; transactions are managed for you',
  rollback: 'each console statement runs on its own; transactions are managed for you',
  abort: 'each console statement runs on its own; transactions are managed for you',
  call: 'use `select * from function(...)` instead of call',
};

/** Splits a text into statements and decides, for each, how (or whether) it may run. */
export function planStatements(text: string): { plans: StatementPlan[]; problem?: string } {
  const { statements, unterminated } = splitStatements(text);
  if (unterminated === 'nul') return { plans: [], problem: 'the text holds a NUL character (\\0), where DuckDB would stop reading' };
  if (unterminated) return { plans: [], problem: `the text ends inside an unfinished ${unterminated === 'comment' ? 'comment' : unterminated === 'identifier' ? 'quoted name' : 'string'}` };
  if (statements.length === 0) return { plans: [], problem: 'there is no statement to run' };
  return { plans: statements.map((s) => (readAlike(s) ? classify(s, s.tokens) : refuse(s, SPACES_MOVE))) };
}

const SPACES_MOVE = 'on its own this statement would read differently to DuckDB (Unicode spaces beside quotes): write them as plain spaces';

/**
 * Each statement runs on its own; DuckDB replaces Unicode spaces again in that text
 * (./duckdb-spaces.ts). Where it would replace one that it left in the whole text, the
 * statement would not be read as it was checked.
 */
function readAlike(statement: SqlStatement): boolean {
  return duckdbSpaces(statement.text) === statement.text;
}

/** True when the statement only reads and returns rows of a query (what a model may be). */
export function isQuery(statement: SqlStatement): boolean {
  const first = keyword(skipParens(statement.tokens, 0).token);
  return QUERY_VERBS.has(first) && classify(statement, statement.tokens).kind === 'read';
}

function skipParens(tokens: Token[], start: number): { token: Token | undefined; index: number } {
  let i = start;
  while (tokens[i]?.type === 'punct' && tokens[i].text === '(') i++;
  return { token: tokens[i], index: i };
}

function refuse(statement: SqlStatement, reason: string): StatementPlan {
  return { kind: 'refused', statement, reason };
}

function classify(statement: SqlStatement, tokens: Token[]): StatementPlan {
  const { token, index } = skipParens(tokens, 0);
  const verb = keyword(token);
  const read: StatementPlan = { kind: 'read', statement, sql: statement.text };
  if (READ_VERBS.has(verb)) return read;
  if (verb === 'with') return classifyWith(statement, tokens.slice(index + 1));
  if (verb === 'explain') {
    const rest = tokens.slice(index + 1);
    const inner = classify(statement, keyword(rest[0]) === 'analyze' ? rest.slice(1) : rest);
    return inner.kind === 'read' ? read : refuse(statement, 'explain works here only on statements that read');
  }
  if (verb === 'pragma') {
    return READ_PRAGMAS.has(keyword(tokens[index + 1])) ? read : refuse(statement, 'only pragmas that describe tables or the engine are allowed (e.g. pragma table_info)');
  }
  if (['create', 'insert', 'update', 'delete', 'drop', 'alter', 'truncate'].includes(verb)) return classifyWrite(statement, tokens.slice(index), verb);
  if (REFUSALS[verb]) return refuse(statement, REFUSALS[verb]);
  return refuse(statement, token ? `"${token.text}" statements are not allowed in the console` : 'there is no statement here');
}

/** `with a as (...), b as (...) <main statement>`: every CTE must read; the main statement decides. */
function classifyWith(statement: SqlStatement, tokens: Token[]): StatementPlan {
  let i = keyword(tokens[0]) === 'recursive' ? 1 : 0;
  for (;;) {
    while (i < tokens.length && keyword(tokens[i]) !== 'as') i++;
    i++;
    while (['not', 'materialized'].includes(keyword(tokens[i]))) i++;
    if (tokens[i]?.text !== '(') return refuse(statement, 'this with clause could not be read');
    const close = matchingParen(tokens, i);
    const body = tokens.slice(i + 1, close);
    if (close < 0 || classify(statement, body).kind !== 'read') return refuse(statement, 'every part of a with clause must be a query');
    i = close + 1;
    if (tokens[i]?.text === ',') {
      i++;
      continue;
    }
    return classify(statement, tokens.slice(i));
  }
}

function matchingParen(tokens: Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (tokens[i].type !== 'punct') continue;
    if (tokens[i].text === '(') depth++;
    else if (tokens[i].text === ')' && --depth === 0) return i;
  }
  return -1;
}

function classifyWrite(statement: SqlStatement, tokens: Token[], verb: string): StatementPlan {
  let i = 1;
  const skip = (...words: string[]) => {
    while (words.includes(keyword(tokens[i]))) i++;
  };
  if (verb === 'create') {
    skip('or', 'replace');
    if (['temp', 'temporary'].includes(keyword(tokens[i]))) return refuse(statement, 'temporary tables are not available; create scratch.<name> instead');
    skip('persistent');
    const kind = keyword(tokens[i]);
    if (kind === 'view') return refuse(statement, 'views cannot be created here; create a table instead (create table scratch.<name> as select ...)');
    if (kind !== 'table') return refuse(statement, `create ${kind || '…'} is not allowed: the console can create tables in scratch only`);
    i++;
    skip('if', 'not', 'exists');
  } else if (verb === 'insert') {
    if (keyword(tokens[i]) === 'or') i += 2;
    if (keyword(tokens[i]) !== 'into') return refuse(statement, 'expected insert into <table>');
    i++;
  } else if (verb === 'delete') {
    if (keyword(tokens[i]) !== 'from') return refuse(statement, 'expected delete from <table>');
    i++;
  } else if (verb === 'drop' || verb === 'alter') {
    if (keyword(tokens[i]) !== 'table') return refuse(statement, `${verb} works here on scratch tables only (${verb} table scratch.<name>)`);
    i++;
    skip('if', 'exists');
  } else if (verb === 'truncate') {
    skip('table');
  }
  const name = readName(tokens, i);
  if (!name) return refuse(statement, `expected a table name after ${verb}`);
  if (verb === 'drop' && tokens[name.next]?.text === ',') return refuse(statement, 'drop one table at a time');
  const scratch = name.parts[0].toLowerCase() === SCRATCH && name.parts.length > 1;
  if (name.parts.length === 3 && !scratch) return refuse(statement, 'name tables as schema.table (the current results) or scratch.<name>');
  const target: TableName = scratch
    ? { schema: name.parts.length === 3 ? name.parts[1] : 'main', name: name.parts[name.parts.length - 1] }
    : name.parts.length === 2 ? { schema: name.parts[0], name: name.parts[1] } : { schema: 'main', name: name.parts[0] };
  const stored = !scratch && name.parts.length === 2 ? target : undefined;
  if (verb === 'drop' && stored) return refuse(statement, `${shown(stored)} holds stored results and cannot be dropped; a new pipeline run replaces them`);
  const copyOf = stored && verb !== 'create' ? stored : undefined;
  const replacement = scratchName(target);
  const from = name.from - statement.from;
  const to = name.to - statement.from;
  return {
    kind: 'write',
    statement,
    sql: statement.text.slice(0, from) + replacement + statement.text.slice(to),
    target,
    copyOf,
    note: describeWrite(verb, target, stored),
    rewrite: { from, to: from + replacement.length, originalTo: to },
  };
}

function readName(tokens: Token[], start: number): { parts: string[]; from: number; to: number; next: number } | undefined {
  const parts: string[] = [];
  let i = start;
  for (;;) {
    const t = tokens[i];
    if (!t || (t.type !== 'word' && t.type !== 'quoted')) return undefined;
    parts.push(t.type === 'word' ? t.text.toLowerCase() : t.text);
    if (tokens[i + 1]?.text === '.' && parts.length < 3) {
      i += 2;
      continue;
    }
    return { parts, from: tokens[start].from, to: t.to, next: i + 1 };
  }
}

/** `scratch."gold"."fact_sales"`: the SQL name of a table in the scratch catalog. */
export function scratchName(t: TableName): string {
  return `${SCRATCH}.${quoteIdent(t.schema)}.${quoteIdent(t.name)}`;
}

/** How a table is shown to people: `scratch.top_customers`, `scratch.gold.fact_sales`, `gold.fact_sales`. */
export function shown(t: TableName, inScratch = false): string {
  if (!inScratch) return `${t.schema}.${t.name}`;
  return t.schema === 'main' ? `${SCRATCH}.${t.name}` : `${SCRATCH}.${t.schema}.${t.name}`;
}

function describeWrite(verb: string, target: TableName, stored: TableName | undefined): string {
  const where = shown(target, true);
  if (!stored) return `${verb === 'create' ? 'creates' : verb === 'drop' ? 'drops' : 'changes'} ${where}`;
  if (verb === 'create') return `creates ${where} instead of ${shown(stored)}: stored results are never replaced from the console`;
  return `changes ${where}, a copy of ${shown(stored)} made on first use; ${shown(stored)} itself stays as it is`;
}
