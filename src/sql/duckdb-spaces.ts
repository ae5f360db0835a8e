/**
 * What DuckDB's parser does to a query before it lexes it: it turns some Unicode
 * spaces (U+00A0, U+2000–U+200B, U+202F, U+205F, U+2060, U+3000, U+FEFF) into plain
 * spaces, except where a quick scan of the UTF-8 bytes finds them inside '' or ""
 * quotes, a $tag$ string or a `--` comment. That scan has its own rules (no block
 * comments, no backslash escapes, a tag may not start with `_`, it stops two bytes
 * short of the end), which change how DuckDB reads the rest; so it is followed here
 * byte for byte. Every such space is one UTF-16 unit, so offsets do not move.
 */

const encoder = new TextEncoder();
const UNICODE_SPACES = /[\u00a0\u2000-\u200b\u202f\u205f\u2060\u3000\ufeff]/;
const DOLLAR = 0x24;
const DASH = 0x2d;
const QUOTES = new Set([0x22, 0x27]);

/** Lone surrogates as U+FFFD, as they reach DuckDB once encoded as UTF-8 (same length). */
export function wellFormed(sql: string): string {
  return sql.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

const tagStart = (b: number) => (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b >= 0x80;
const tagPart = (b: number) => tagStart(b) || (b >= 0x30 && b <= 0x39);

/** The byte length of a Unicode space starting at `pos`, or 0. */
function spaceAt(bytes: Uint8Array, pos: number): number {
  const [a, b, c] = [bytes[pos], bytes[pos + 1], bytes[pos + 2]];
  if (a === 0xc2 && b === 0xa0) return 2;
  if (a === 0xe2 && b === 0x80 && ((c >= 0x80 && c <= 0x8b) || c === 0xaf)) return 3;
  if (a === 0xe2 && b === 0x81 && (c === 0x9f || c === 0xa0)) return 3;
  if (a === 0xe3 && b === 0x80 && c === 0x80) return 3;
  if (a === 0xef && b === 0xbb && c === 0xbf) return 3;
  return 0;
}

/** Byte offsets of the spaces DuckDB replaces. */
function replacedBytes(bytes: Uint8Array): number[] {
  const size = bytes.length;
  const found: number[] = [];
  let state: 'regular' | 'quoted' | 'dollar' | 'comment' = 'regular';
  let quote = 0;
  let tag = new Uint8Array(0);
  let pos = 0;
  for (;;) {
    if (state === 'regular') {
      if (pos + 2 >= size) return found;
      const b = bytes[pos];
      if (spaceAt(bytes, pos)) found.push(pos);
      if (QUOTES.has(b)) {
        quote = b;
        pos++;
        state = 'quoted';
        continue;
      }
      if (b === DOLLAR && (bytes[pos + 1] === DOLLAR || tagStart(bytes[pos + 1]))) {
        const start = ++pos;
        while (pos + 2 < size && bytes[pos] !== DOLLAR && tagPart(bytes[pos])) pos++;
        if (pos + 2 >= size) return found;
        if (bytes[pos] === DOLLAR) {
          tag = bytes.slice(start, pos);
          state = 'dollar';
        }
        // Otherwise the scan goes on from the character that is no tag character.
        continue;
      }
      if (b === DASH && bytes[pos + 1] === DASH) {
        state = 'comment';
        continue;
      }
      pos++;
    } else if (state === 'quoted') {
      if (pos + 1 >= size) return found;
      if (bytes[pos] === quote) {
        if (bytes[pos + 1] === quote) pos++;
        else state = 'regular';
      }
      pos++;
    } else if (state === 'dollar') {
      if (pos + 2 >= size) return found;
      if (bytes[pos] === DOLLAR && size - (pos + 1) >= tag.length + 1 && bytes[pos + tag.length + 1] === DOLLAR && sameBytes(bytes, pos + 1, tag)) {
        // The scan resumes on the closing `$` itself.
        pos += tag.length + 1;
        state = 'regular';
      } else {
        pos++;
      }
    } else {
      if (pos >= size) return found;
      if (bytes[pos] === 0x0a || bytes[pos] === 0x0d) state = 'regular';
      else pos++;
    }
  }
}

function sameBytes(bytes: Uint8Array, at: number, tag: Uint8Array): boolean {
  for (let k = 0; k < tag.length; k++) if (bytes[at + k] !== tag[k]) return false;
  return true;
}

/** The text with the spaces DuckDB replaces replaced, the same length. */
export function duckdbSpaces(sql: string): string {
  if (!UNICODE_SPACES.test(sql)) return sql;
  const bytes = encoder.encode(sql);
  const replaced = new Set(replacedBytes(bytes));
  if (replaced.size === 0) return sql;
  let out = '';
  let byte = 0;
  for (const ch of sql) {
    out += replaced.has(byte) ? ' ' : ch;
    byte += encoder.encode(ch).length;
  }
  return out;
}
