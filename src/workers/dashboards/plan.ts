/**
 * Which aggregate answers a chart, for its filters: the relations a chart query reads
 * (cells, orders, buyers, ...) are each defined by one or two SQL files of
 * ./sql/relations/, chosen by the kind of filter (a product filter, a date range) and
 * given the filter as terms over code columns — never a value in the text, only `?`.
 * A date range is cut into whole months (read from a cube) and the days at its ends
 * (read from the lines or the orders).
 */
import type { SqlValue } from '../../duckdb/sql-engine.ts';
import { DIMENSIONS, type DimensionKey } from '../../shared/filters.ts';
import { CODE_COLUMN, hasDates, PRODUCT_DIMENSIONS, type Scope } from './codes.ts';

const SQL = import.meta.glob('./sql/relations/*.sql', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

export type Relation = 'cells' | 'product_cells' | 'order_counts' | 'dated_order_counts' | 'buyers' | 'per_customer' | 'first_orders';

interface Term { sql: string; params: SqlValue[] }
/** One relation file with the terms for each of its markers (`/*filters*\/`, `/*order filters*\/`, ...). */
interface Part { file: string; terms: Record<string, Term[]> }

const FALSE: Term = { sql: 'false', params: [] };

/** Code terms for the product dimensions, the customer dimensions, or both. */
function codeTerms(scope: Scope, side: 'product' | 'customer' | 'all'): Term[] {
  const terms: Term[] = [];
  for (const { key } of DIMENSIONS) {
    const isProduct = PRODUCT_DIMENSIONS.includes(key);
    if ((side === 'product' && !isProduct) || (side === 'customer' && isProduct)) continue;
    const codes = scope.codes[key as DimensionKey];
    if (codes === undefined) continue;
    if (codes.length === 0) terms.push(FALSE);
    else terms.push({ sql: `${CODE_COLUMN[key]} in (${codes.map(() => '?').join(', ')})`, params: codes });
  }
  return terms;
}

function maskTerm(scope: Scope, column: 'mask' | 'dated_mask'): Term[] {
  return scope.mask === undefined ? [] : [{ sql: `(${column} & cast(? as ubigint)) <> 0`, params: [scope.mask] }];
}

/** The whole date range on a day column. */
function dayTerms(scope: Scope): Term[] {
  const terms: Term[] = [];
  if (scope.from) terms.push({ sql: 'order_date >= cast(? as date)', params: [scope.from] });
  if (scope.to) terms.push({ sql: 'order_date <= cast(? as date)', params: [scope.to] });
  return terms;
}

const monthStart = (day: string) => `${day.slice(0, 7)}-01`;
function addMonths(day: string, n: number): string {
  const d = new Date(`${monthStart(day)}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + n);
  return d.toISOString().slice(0, 10);
}
const monthEnd = (day: string) => new Date(Date.parse(`${addMonths(day, 1)}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

/**
 * A date range as whole months (first days of the first and last month, either open) and
 * the day ranges at its ends that do not fill a month. `months` is null when no whole month is in it.
 */
export function splitRange(from?: string, to?: string): { months: { from?: string; to?: string } | null; edges: [string, string][] } {
  const first = from === undefined ? undefined : from === monthStart(from) ? from : addMonths(from, 1);
  const last = to === undefined ? undefined : to === monthEnd(to) ? monthStart(to) : addMonths(to, -1);
  const months = first !== undefined && last !== undefined && first > last ? null : { from: first, to: last };
  const edges: [string, string][] = [];
  if (from !== undefined && from !== monthStart(from)) edges.push([from, to !== undefined && to < monthEnd(from) ? to : monthEnd(from)]);
  const sameMonth = from !== undefined && to !== undefined && monthStart(from) === monthStart(to);
  if (to !== undefined && to !== monthEnd(to) && !(sameMonth && edges.length)) edges.push([from !== undefined && from > monthStart(to) ? from : monthStart(to), to]);
  return { months, edges: edges.filter(([a, b]) => a <= b) };
}

function monthTerms(months: { from?: string; to?: string }): Term[] {
  const terms: Term[] = [];
  if (months.from) terms.push({ sql: 'month >= cast(? as date)', params: [months.from] });
  if (months.to) terms.push({ sql: 'month <= cast(? as date)', params: [months.to] });
  return terms;
}

function edgeTerm(edges: [string, string][]): Term {
  return {
    sql: `(${edges.map(() => 'order_date between cast(? as date) and cast(? as date)').join(' or ')})`,
    params: edges.flat(),
  };
}

/** A month cube for whole months and a finer source for the days at the ends of a date range. */
function byMonth(scope: Scope, cube: string, fine: string, codes: Term[]): Part[] {
  if (!hasDates(scope)) return [{ file: cube, terms: { filters: codes } }];
  const { months, edges } = splitRange(scope.from, scope.to);
  const parts: Part[] = [];
  if (months) parts.push({ file: cube, terms: { filters: [...codes, ...monthTerms(months)] } });
  if (edges.length) parts.push({ file: fine, terms: { filters: [...codes, edgeTerm(edges)] } });
  return parts.length ? parts : [{ file: cube, terms: { filters: [FALSE] } }];
}

function parts(relation: Relation, scope: Scope): Part[] {
  const product = scope.mask !== undefined;
  const dated = hasDates(scope);
  const customerCodes = codeTerms(scope, 'customer');
  switch (relation) {
    case 'cells':
      return byMonth(scope, 'cells_cube', 'cells_lines', codeTerms(scope, 'all'));
    case 'product_cells':
      return byMonth(scope, 'product_cells_cube', 'product_cells_lines', codeTerms(scope, 'all'));
    case 'order_counts':
    case 'dated_order_counts': {
      if (!product) return byMonth(scope, 'order_counts_cube', 'order_counts_orders', customerCodes);
      // Only lines with an order date fall in a date range (or on the time axis).
      const column = dated || relation === 'dated_order_counts' ? 'dated_mask' : 'mask';
      return [{ file: 'order_counts_orders', terms: { filters: [...customerCodes, ...maskTerm(scope, column), ...dayTerms(scope)] } }];
    }
    case 'buyers':
      if (!dated) return [{ file: 'buyers_table', terms: { filters: [...customerCodes, ...maskTerm(scope, 'mask')] } }];
      return [{ file: 'buyers_orders', terms: { filters: [...customerCodes, ...maskTerm(scope, 'dated_mask'), ...dayTerms(scope)] } }];
    case 'per_customer':
      if (product) {
        return [{
          file: 'per_customer_lines',
          terms: {
            'order filters': [...customerCodes, ...maskTerm(scope, dated ? 'dated_mask' : 'mask'), ...dayTerms(scope)],
            'line filters': [...codeTerms(scope, 'all'), ...dayTerms(scope)],
          },
        }];
      }
      if (dated) return [{ file: 'per_customer_orders', terms: { filters: [...customerCodes, ...dayTerms(scope)] } }];
      return [{ file: 'per_customer_table', terms: { filters: customerCodes } }];
    case 'first_orders':
      if (dated) throw new Error('first orders are asked without a date filter');
      if (product) return [{ file: 'first_orders_orders', terms: { filters: [...customerCodes, ...maskTerm(scope, 'dated_mask')] } }];
      return [{ file: 'first_orders_table', terms: { filters: customerCodes } }];
  }
}

function relationFile(file: string): string {
  const sql = SQL[`./sql/relations/${file}.sql`];
  if (sql === undefined) throw new Error(`no dashboard relation ${file}`);
  return sql.replace(/^(\s*--[^\n]*\n)*/, '');
}

/** One part's SQL: each marker replaced by `and <term> ...`, the parameters in the order of the text. */
function partSql(part: Part): Term {
  const text = relationFile(part.file);
  const params: SqlValue[] = [];
  const sql = text.replace(/\/\*([a-z ]+)\*\//g, (_, marker: string) => {
    const terms = part.terms[marker] ?? [];
    for (const t of terms) params.push(...t.params);
    return terms.map((t) => ` and ${t.sql}`).join('');
  });
  return { sql, params };
}

/** One relation for one chart's filters: its name, its SQL and parameters, and a key for "the same relation". */
export interface Cte {
  name: Relation;
  sql: string;
  params: SqlValue[];
  key: string;
}

/** The relation `name` under `scope`: the union of its parts. */
export function relationSql(name: Relation, scope: Scope): Cte {
  const union = parts(name, scope).map(partSql);
  const sql = union.map((p) => p.sql.trim()).join('\nunion all\n');
  const params = union.flatMap((p) => p.params);
  return { name, sql, params, key: JSON.stringify([name, sql, params]) };
}

/** The relations as CTEs in front of a chart query (its leading comments dropped); their parameters come first. */
export function withCtes(chartSql: string, ctes: readonly Cte[]): { sql: string; params: SqlValue[] } {
  const body = chartSql.replace(/^(\s*--[^\n]*\n)*/, '');
  if (ctes.length === 0) return { sql: body, params: [] };
  const head = ctes.map((c) => `${c.name} as (\n${c.sql}\n)`).join(',\n');
  const sql = /^with\s/i.test(body) ? body.replace(/^with\s+/i, `with ${head},\n`) : `with ${head}\n${body}`;
  return { sql, params: ctes.flatMap((c) => c.params) };
}
