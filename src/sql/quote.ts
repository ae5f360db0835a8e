/**
 * The only place that turns a value into SQL text. Used for identifiers and literals
 * that come from files (column names, file names); everything else is bound as a parameter.
 */

/** Quotes an identifier: `a"b` -> `"a""b"`. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quotes a string literal: `it's` -> `'it''s'`. Rejects NUL, which DuckDB cannot hold. */
export function quoteLiteral(value: string): string {
  if (value.includes('\u0000')) throw new Error('text contains a NUL character');
  return `'${value.replaceAll("'", "''")}'`;
}

/** Safe SQL names we generate ourselves (catalogs, schemas, tables). */
export function assertSimpleName(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a simple name: ${name}`);
  return name;
}
