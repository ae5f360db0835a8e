/**
 * DuckDB error messages, made readable and placed: the message without the
 * excerpt, and the character offset the error points at. DuckDB reports a position
 * either as a JSON field (parser errors of pending queries) or as `LINE n:` with an
 * excerpt of that line and a caret under the spot (long lines are cut with `...`).
 */

export interface PlacedError {
  /** The message in words, without the `LINE n:` excerpt. */
  message: string;
  /** Character offset into the statement text, when DuckDB gave a position. */
  offset?: number;
}

const EXCERPT = /\n*LINE (\d+): (.*)\n( *)\^/;

/** Reads a DuckDB error message (as thrown by DuckDB-WASM) against the SQL that caused it. */
export function placeError(raw: string, sql: string): PlacedError {
  const text = raw.replace(/^Error:\s*/, '');
  const json = parseJsonError(text);
  if (json) {
    const placed = placeError(json.message, sql);
    if (placed.offset === undefined && json.position !== undefined) placed.offset = byteToCharOffset(sql, json.position);
    return placed;
  }
  const match = EXCERPT.exec(text);
  const message = (match ? text.slice(0, match.index) : text).trim();
  if (!match) return /at end of input$/.test(message) ? { message, offset: sql.trimEnd().length } : { message };
  const lineNo = Number(match[1]);
  const excerpt = match[2];
  const caret = match[3].length - `LINE ${match[1]}: `.length;
  const lines = sql.split('\n');
  const line = lines[lineNo - 1];
  if (line === undefined) return { message };
  let column = caret;
  if (excerpt.startsWith('...')) {
    const core = excerpt.slice(3).replace(/\.\.\.$/, '');
    const at = line.indexOf(core);
    if (at < 0) return { message };
    column = at + caret - 3;
  }
  const before = lines.slice(0, lineNo - 1).reduce((sum, l) => sum + l.length + 1, 0);
  return { message, offset: before + Math.max(0, Math.min(column, line.length)) };
}

function parseJsonError(text: string): { message: string; position?: number } | undefined {
  if (!text.startsWith('{')) return undefined;
  try {
    const data = JSON.parse(text) as Record<string, string>;
    if (typeof data.exception_message !== 'string') return undefined;
    const type = data.exception_type ? `${data.exception_type} Error: ` : '';
    const position = data.position === undefined ? undefined : Number(data.position);
    return { message: `${type}${data.exception_message}`, position: Number.isFinite(position) ? position : undefined };
  } catch {
    return undefined;
  }
}

/** DuckDB positions count UTF-8 bytes; the editor counts UTF-16 characters. */
function byteToCharOffset(sql: string, bytes: number): number {
  const encoder = new TextEncoder();
  let used = 0;
  let i = 0;
  for (const ch of sql) {
    used += encoder.encode(ch).length;
    if (used > bytes) break;
    i += ch.length;
  }
  return i;
}

/** 1-based line and column of an offset, for messages like "line 3, column 7". */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}
