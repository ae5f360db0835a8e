/**
 * A small SQL tokenizer and statement splitter that follows DuckDB's lexical rules:
 * `--` and nested `/* *\/` comments, '' strings (E'' with backslash escapes),
 * $tag$ dollar-quoted strings, "" quoted identifiers. Offsets point into the
 * original text, so errors and rewrites can be mapped back to the editor.
 */

export type TokenType = 'word' | 'quoted' | 'string' | 'number' | 'param' | 'punct';

export interface Token {
  type: TokenType;
  /** The token as written; for `quoted`, the identifier without quotes. */
  text: string;
  from: number;
  to: number;
}

export interface SqlStatement {
  /** The statement without the `;` and without leading/trailing whitespace and comments. */
  text: string;
  from: number;
  to: number;
  tokens: Token[];
}

export interface Tokenized {
  tokens: Token[];
  /** Set when the text ends inside a string, identifier or comment. */
  unterminated?: 'string' | 'identifier' | 'comment';
}

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;
const DIGIT = /[0-9]/;

/** Splits SQL text into tokens; comments and whitespace are dropped. */
export function tokenize(sql: string): Tokenized {
  const tokens: Token[] = [];
  let i = 0;
  const push = (type: TokenType, from: number, to: number, text = sql.slice(from, to)) => tokens.push({ type, text, from, to });
  while (i < sql.length) {
    const c = sql[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? sql.length : end + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = blockCommentEnd(sql, i);
      if (end < 0) return { tokens, unterminated: 'comment' };
      i = end;
    } else if (c === "'") {
      const end = quotedEnd(sql, i, "'", false);
      if (end < 0) return { tokens, unterminated: 'string' };
      push('string', i, end);
      i = end;
    } else if ((c === 'e' || c === 'E') && sql[i + 1] === "'") {
      const end = quotedEnd(sql, i + 1, "'", true);
      if (end < 0) return { tokens, unterminated: 'string' };
      push('string', i, end);
      i = end;
    } else if (c === '"') {
      const end = quotedEnd(sql, i, '"', false);
      if (end < 0) return { tokens, unterminated: 'identifier' };
      push('quoted', i, end, sql.slice(i + 1, end - 1).replaceAll('""', '"'));
      i = end;
    } else if (c === '$') {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i, i + 64));
      if (tag) {
        const close = sql.indexOf(tag[0], i + tag[0].length);
        if (close < 0) return { tokens, unterminated: 'string' };
        push('string', i, close + tag[0].length);
        i = close + tag[0].length;
      } else {
        let j = i + 1;
        while (j < sql.length && WORD_PART.test(sql[j])) j++;
        push('param', i, j);
        i = j;
      }
    } else if (WORD_START.test(c)) {
      let j = i + 1;
      while (j < sql.length && WORD_PART.test(sql[j])) j++;
      push('word', i, j);
      i = j;
    } else if (DIGIT.test(c) || (c === '.' && DIGIT.test(sql[i + 1] ?? ''))) {
      let j = i + 1;
      while (j < sql.length && /[0-9._eE]/.test(sql[j])) j++;
      push('number', i, j);
      i = j;
    } else if (c === '?') {
      push('param', i, i + 1);
      i++;
    } else {
      push('punct', i, i + 1);
      i++;
    }
  }
  return { tokens };
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
  const statements: SqlStatement[] = [];
  let current: Token[] = [];
  const flush = () => {
    if (current.length === 0) return;
    const from = current[0].from;
    const to = current[current.length - 1].to;
    statements.push({ text: sql.slice(from, to), from, to, tokens: current });
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
