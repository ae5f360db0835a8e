/**
 * A SQL tokenizer and statement splitter that reads text exactly as DuckDB's parser
 * does, so that what the guards see is what DuckDB runs: its Unicode-space pre-pass
 * (./duckdb-spaces.ts), `--` comments ended by `\n` or `\r`, nested `/* *\/` comments,
 * '' strings (E'' with backslash escapes), $tag$ strings whose tag is any run of
 * letters, digits, `_` and non-ASCII characters (not starting with a digit, any length),
 * "" quoted identifiers, identifiers that may hold `$` and non-ASCII characters, and
 * DuckDB's number rules (`1e` is the number 1, then `e`). DuckDB reads no further than
 * a NUL character. Offsets point into the original text (the pre-pass keeps lengths).
 * tests/unit/sql-lexer.test.ts checks the splitting against native DuckDB.
 */
import { duckdbSpaces, wellFormed } from './duckdb-spaces.ts';

export type TokenType = 'word' | 'quoted' | 'string' | 'number' | 'param' | 'punct';

export interface Token {
  type: TokenType;
  /** The token as written; for `quoted`, the identifier without quotes. */
  text: string;
  from: number;
  to: number;
}

export interface SqlStatement {
  /** The statement as DuckDB reads it, without the `;` and without leading/trailing whitespace and comments. */
  text: string;
  from: number;
  to: number;
  tokens: Token[];
}

export interface Tokenized {
  tokens: Token[];
  /** Set when the text ends inside a string, identifier or comment, or holds a NUL character. */
  unterminated?: 'string' | 'identifier' | 'comment' | 'nul';
}

/** DuckDB's whitespace; every other character of U+0080 and above belongs to names. */
const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f';
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isNameStart = (c: string | undefined) =>
  c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c >= '\u0080');
/** Identifiers continue with digits and `$`; dollar-quote tags with digits only. */
const isNamePart = (c: string | undefined) => isNameStart(c) || isDigit(c) || c === '$';
const isTagPart = (c: string | undefined) => isNameStart(c) || isDigit(c);

/** The text as DuckDB's lexer sees it: lone surrogates as U+FFFD, Unicode spaces outside quotes as spaces. */
export function lexedText(sql: string): string {
  return duckdbSpaces(wellFormed(sql));
}

/** Splits SQL text into tokens; comments and whitespace are dropped. */
export function tokenize(original: string): Tokenized {
  const sql = lexedText(original);
  const tokens: Token[] = [];
  let i = 0;
  const push = (type: TokenType, from: number, to: number, text = sql.slice(from, to)) => tokens.push({ type, text, from, to });
  while (i < sql.length) {
    const c = sql[i];
    const next = sql[i + 1];
    if (c === '\0') return { tokens, unterminated: 'nul' };
    if (isSpace(c)) {
      i++;
    } else if (c === '-' && next === '-') {
      while (i < sql.length && sql[i] !== '\n' && sql[i] !== '\r') i++;
    } else if (c === '/' && next === '*') {
      const end = blockCommentEnd(sql, i);
      if (end < 0) return { tokens, unterminated: 'comment' };
      i = end;
    } else if (c === "'" || ((c === 'e' || c === 'E') && next === "'")) {
      const end = quotedEnd(sql, c === "'" ? i : i + 1, "'", c !== "'");
      if (end < 0) return { tokens, unterminated: 'string' };
      push('string', i, end);
      i = end;
    } else if (c === '"') {
      const end = quotedEnd(sql, i, '"', false);
      if (end < 0) return { tokens, unterminated: 'identifier' };
      push('quoted', i, end, sql.slice(i + 1, end - 1).replaceAll('""', '"'));
      i = end;
    } else if (c === '$') {
      const end = dollarToken(sql, i, push);
      if (end < 0) return { tokens, unterminated: 'string' };
      i = end;
    } else if (isNameStart(c)) {
      let j = i + 1;
      while (isNamePart(sql[j])) j++;
      push('word', i, j);
      i = j;
    } else if (isDigit(c) || (c === '.' && isDigit(next))) {
      const end = numberEnd(sql, i);
      push('number', i, end);
      i = end;
    } else if (c === '?') {
      const end = isDigit(next) ? integerEnd(sql, i + 1) : i + 1;
      push('param', i, end);
      i = end;
    } else {
      push('punct', i, i + 1);
      i++;
    }
  }
  return { tokens };
}

/**
 * At a `$`: a dollar-quoted string (`$tag$…$tag$`, ending at the first copy of the
 * opening delimiter), a parameter (`$1`, `$name`) or the character itself. Returns
 * the end, or -1 for a string that never closes.
 */
function dollarToken(sql: string, start: number, push: (type: TokenType, from: number, to: number) => void): number {
  if (isDigit(sql[start + 1])) {
    const end = integerEnd(sql, start + 1);
    push('param', start, end);
    return end;
  }
  let tagEnd = start + 1;
  if (isNameStart(sql[tagEnd])) while (isTagPart(sql[tagEnd])) tagEnd++;
  if (sql[tagEnd] === '$') {
    const delimiter = sql.slice(start, tagEnd + 1);
    const close = sql.indexOf(delimiter, tagEnd + 1);
    if (close < 0) return -1;
    const end = close + delimiter.length;
    push('string', start, end);
    return end;
  }
  // `$name` without a closing `$` is a named parameter; a lone `$` a character.
  push(tagEnd > start + 1 ? 'param' : 'punct', start, tagEnd);
  return tagEnd;
}

/** Digits with single `_` between them (`1_000`); `start` is on a digit. */
function integerEnd(sql: string, start: number): number {
  let i = start + 1;
  for (;;) {
    if (isDigit(sql[i])) i++;
    else if (sql[i] === '_' && isDigit(sql[i + 1])) i += 2;
    else return i;
  }
}

/**
 * DuckDB's numbers: an integer, a decimal (`1.`, `.5`, `1.5`), then an exponent only
 * when digits follow it (`1e5`; in `1e` and `1e+` the number is `1`). `1..2` is `1`, `..`, `2`.
 */
function numberEnd(sql: string, start: number): number {
  const whole = isDigit(sql[start]) ? integerEnd(sql, start) : start;
  let end = whole;
  if (sql[end] === '.') {
    if (sql[end + 1] === '.' && whole > start) return whole;
    const fraction = isDigit(sql[end + 1]) ? integerEnd(sql, end + 1) : end + 1;
    if (whole > start || fraction > end + 1) end = fraction;
  }
  if (sql[end] === 'e' || sql[end] === 'E') {
    const sign = sql[end + 1] === '+' || sql[end + 1] === '-' ? end + 2 : end + 1;
    if (isDigit(sql[sign])) end = integerEnd(sql, sign);
  }
  return end;
}

/** End (exclusive) of a nested block comment starting at `start`, or -1. */
function blockCommentEnd(sql: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < sql.length) {
    if (sql[i] === '/' && sql[i + 1] === '*') {
      depth++;
      i += 2;
    } else if (sql[i] === '*' && sql[i + 1] === '/') {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else {
      i++;
    }
  }
  return -1;
}

/** End (exclusive) of a quoted run starting at `start` (a doubled quote escapes it), or -1. */
function quotedEnd(sql: string, start: number, quote: string, backslash: boolean): number {
  let i = start + 1;
  while (i < sql.length) {
    const c = sql[i];
    if (backslash && c === '\\') {
      i += 2;
    } else if (c === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else {
      i++;
    }
  }
  return -1;
}

/** The statements of a text, split at `;`; empty statements (only comments) are left out. */
export function splitStatements(sql: string): { statements: SqlStatement[]; unterminated?: Tokenized['unterminated'] } {
  const { tokens, unterminated } = tokenize(sql);
  const lexed = lexedText(sql);
  const statements: SqlStatement[] = [];
  let current: Token[] = [];
  const flush = () => {
    if (current.length === 0) return;
    const from = current[0].from;
    const to = current[current.length - 1].to;
    statements.push({ text: lexed.slice(from, to), from, to, tokens: current });
    current = [];
  };
  for (const token of tokens) {
    if (token.type === 'punct' && token.text === ';') flush();
    else current.push(token);
  }
  flush();
  return { statements, unterminated };
}

/** Lower-cased text of a word token, or '' for any other token. */
export function keyword(token: Token | undefined): string {
  return token?.type === 'word' ? token.text.toLowerCase() : '';
}
