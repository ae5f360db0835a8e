/**
 * The one place a thrown value becomes words. Anything can be thrown: an Error, a
 * DOMException (IndexedDB, quota), a string, or nothing at all (a failed IndexedDB
 * request may reject with `null`). The page shows one line, never `null` or a stack.
 */

/** The whole message of a thrown value (DuckDB's excerpt lines included). */
export function rawErrorText(e: unknown): string {
  if (e instanceof Error) return e.message || e.name;
  if (e === null || e === undefined) return '';
  if (typeof e === 'object' && 'message' in e && typeof e.message === 'string') return e.message;
  return String(e);
}

/** One readable line: no `Error:` prefix (DuckDB and comlink add it), no excerpt, never empty. */
export function errorText(e: unknown): string {
  const line = rawErrorText(e).replace(/^Error:\s*/, '').split('\n')[0].trim();
  return line || 'no reason was given';
}
