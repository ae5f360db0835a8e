/**
 * Large row-local models built a slice at a time, like bronze (slices.ts): a `create table … as`
 * holds every row it adds uncompressed until it commits, so building the 6 M sales lines of
 * silver in one statement took DuckDB-WASM's heap up by 2 bytes per input byte on its own. A model
 * that declares `-- slices: <layer.table>` is built from ranges of that table's `_source_line`,
 * in order: the first range creates the table, each later one is a committed insert. The model
 * promises that each row it makes comes from one row of that table and that its rows come out
 * in that table's line order (a projection, or joins to small tables ordered by the line), so the
 * rows, and their order, are exactly those of a one-piece build (bench/README.md, docs/scale.md).
 */
import type { SqlEngine } from '../duckdb/sql-engine.ts';
import type { Model } from './dag.ts';
import { tokenize, type Token } from '../sql/tokens.ts';

/**
 * Source rows per slice, chosen by measurement (bench/README.md, "Silver and gold.fact_sales in
 * slices"): at scale 100 slices of 1,000,000 and of 500,000 rows left the same heap, and each slice
 * of gold.fact_sales builds its joins' hash tables again (0.13 CPU s a slice). A source of no more
 * rows is built in one piece.
 */
export const MODEL_SLICE_ROWS = 1_000_000;

/** What may follow a table reference without being its alias. */
const NOT_ALIAS = new Set([
  'where', 'join', 'left', 'right', 'inner', 'outer', 'full', 'cross', 'natural', 'positional', 'asof', 'anti', 'semi',
  'on', 'using', 'group', 'order', 'limit', 'offset', 'union', 'except', 'intersect', 'window', 'qualify', 'having',
  'tablesample', 'pivot', 'unpivot', 'lateral',
]);

const isName = (t: Token | undefined, name: string) => t !== undefined && (t.type === 'word' || t.type === 'quoted') && t.text.toLowerCase() === name;
const isDot = (t: Token | undefined) => t?.type === 'punct' && t.text === '.';

/** Where `sql` reads `source` (`layer.table`), as [from, to) spans; undefined where one cannot be rewritten. */
export function sourceSpans(sql: string, source: string): { from: number; to: number; aliased: boolean }[] | undefined {
  const [layer, table] = source.split('.');
  const { tokens, unterminated } = tokenize(sql);
  if (unterminated) return undefined;
  const spans: { from: number; to: number; aliased: boolean }[] = [];
  for (let i = 0; i + 2 < tokens.length; i++) {
    if (!isName(tokens[i], layer) || !isDot(tokens[i + 1]) || !isName(tokens[i + 2], table)) continue;
    // a catalog before it, or a column after it (`silver.t.col`): not a plain table reference
    if (isDot(tokens[i - 1]) || isDot(tokens[i + 3])) return undefined;
    const next = tokens[i + 3];
    const aliased = next !== undefined && (next.type === 'quoted' || (next.type === 'word' && !NOT_ALIAS.has(next.text.toLowerCase())));
    spans.push({ from: tokens[i].from, to: tokens[i + 2].to, aliased });
  }
  return spans.length ? spans : undefined;
}

/** The model's SQL reading only the source rows with `lo <= _source_line < hi`. */
export function slicedSql(sql: string, source: string, lo: number, hi: number): string {
  if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi)) throw new Error(`slice bounds must be whole numbers: ${lo}, ${hi}`);
  const spans = sourceSpans(sql, source);
  if (!spans) throw new Error(`${source} is not read as a plain table`);
  const table = source.split('.')[1];
  let out = sql;
  for (const span of [...spans].reverse()) {
    const filtered = `(select * from ${source} where _source_line >= ${lo} and _source_line < ${hi})${span.aliased ? '' : ` as ${table}`}`;
    out = out.slice(0, span.from) + filtered + out.slice(span.to);
  }
  return out;
}

/** The line ranges [lo, hi) to build `model` in, or undefined to build it in one piece. */
export async function sliceBounds(engine: SqlEngine, source: string, sliceRows: number): Promise<[number, number][] | undefined> {
  if (!(sliceRows > 0)) return undefined;
  const [{ lo, hi, rows, unnumbered }] = await engine.query<{ lo: number | null; hi: number | null; rows: number; unnumbered: number }>(
    `select min(_source_line)::bigint as lo, max(_source_line)::bigint as hi, count(*)::bigint as rows,
            (count(*) - count(_source_line))::bigint as unnumbered from ${source}`,
  );
  // A row without a line would fall in no range: such a source is built whole.
  if (rows <= sliceRows || unnumbered > 0 || lo === null || hi === null) return undefined;
  // Ranges of equal width, as many as slices of `sliceRows` rows: where each row has a line of
  // its own (bronze and what is made from it row by row), a range holds about `sliceRows` rows.
  const count = Math.ceil(Number(rows) / sliceRows);
  const width = Math.ceil((Number(hi) - Number(lo) + 1) / count);
  return Array.from({ length: count }, (_, i): [number, number] => [Number(lo) + i * width, Number(lo) + (i + 1) * width]);
}

/**
 * Builds `model` (which declares `slicesOf`) in slices of `sliceRows` source rows, or in one
 * piece when its source is no larger; `between` runs between slices (the run's cancel checkpoint).
 */
export async function buildInSlices(engine: SqlEngine, model: Model, sliceRows: number, between: () => Promise<void>): Promise<void> {
  const source = model.slicesOf!;
  const bounds = await sliceBounds(engine, source, sliceRows);
  if (!bounds) {
    await engine.execOne(`create table ${model.id} as\n${model.sql}`);
    return;
  }
  for (const [index, [lo, hi]] of bounds.entries()) {
    if (index > 0) await between();
    const sql = slicedSql(model.sql, source, lo, hi);
    await engine.execOne(index === 0 ? `create table ${model.id} as\n${sql}` : `insert into ${model.id}\n${sql}`);
  }
}
