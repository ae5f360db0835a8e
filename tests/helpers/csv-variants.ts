/** Rewrites a clean CSV text in the dialects and encodings real exports come in. */
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { WasmEngine } from '../../src/pipeline/wasm-engine.ts';
import { quoteIdent, quoteLiteral } from '../../src/pipeline/sql-quote.ts';

let counter = 0;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'csv-variants-'));

/**
 * Re-writes a CSV through DuckDB's writer, which quotes what needs quoting:
 * `select` picks and renames the columns of `src`, `delimiter` is the new delimiter.
 */
function rewrite(engine: WasmEngine, text: string, select: (columns: string[]) => string, delimiter = ','): string {
  const name = `variant_${++counter}`;
  // In Node, DuckDB-WASM's COPY writes to the real file system.
  const target = path.join(tmp, `${name}.csv`);
  engine.db.registerFileText(`${name}.in.csv`, text);
  const columns = header(text);
  engine.conn.query(
    `copy (select ${select(columns)} from read_csv('${name}.in.csv', header = true, delim = ',', quote = '"', escape = '"',
       auto_detect = false, columns = {${columns.map((c) => `${quoteLiteral(c)}: 'varchar'`).join(', ')}}) as src)
     to ${quoteLiteral(target)} (header true, delimiter ${quoteLiteral(delimiter)}, quote '"')`,
  );
  engine.db.dropFile(`${name}.in.csv`);
  return readFileSync(target, 'utf8');
}

export function withDelimiter(engine: WasmEngine, text: string, delimiter: string): string {
  return rewrite(engine, text, () => '*', delimiter);
}

/** Header names in upper case with spaces around, columns in reverse order, an extra column. */
export function reshuffled(engine: WasmEngine, text: string): string {
  return rewrite(engine, text, (columns) =>
    [...columns].reverse().map((c) => `${quoteIdent(c)} as ${quoteIdent(` ${c.toUpperCase()} `)}`).join(', ') + `, 'kept' as "Extra Notes"`);
}

export function header(text: string): string[] {
  return text.slice(0, text.indexOf('\n')).split(',');
}

export const crlf = (text: string) => text.replace(/\r?\n/g, '\r\n');

export function utf8WithBom(text: string): Uint8Array {
  return new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]);
}

export function utf16le(text: string): Uint8Array {
  const out = new Uint8Array(2 + text.length * 2);
  out.set([0xff, 0xfe]);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    out[2 + 2 * i] = code & 0xff;
    out[3 + 2 * i] = code >> 8;
  }
  return out;
}

/** Windows-1252 for the characters our fixtures use (Latin-1 plus the euro sign). */
export function windows1252(text: string): Uint8Array {
  return Uint8Array.from(text, (ch) => {
    if (ch === '€') return 0x80;
    const code = ch.charCodeAt(0);
    if (code > 0xff || (code >= 0x80 && code < 0xa0)) throw new Error(`no Windows-1252 byte for ${ch}`);
    return code;
  });
}
