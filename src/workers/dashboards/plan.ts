/**
 * Which aggregate answers a chart, for its filters: the relations a chart query reads
 * (cells, orders, buyers, ...) are each defined by one or two SQL files of
 * ./sql/relations/, chosen by the kind of filter (a product filter, a date range) and
 * given the filter as terms over code columns — never a value in the text, only `?`.
 * A date range is cut into whole months (read from a month cube) and the days at its
 * ends (read from a day cube, or from the lines when no day cube keeps the filters).
 */
import type { SqlValue } from '../../duckdb/sql-engine.ts';
import { DIMENSIONS, type DimensionKey } from '../../shared/filters.ts';
import { CODE_COLUMN, hasDates, PRODUCT_DIMENSIONS, type Scope } from './codes.ts';

const SQL = import.meta.glob('./sql/relations/*.sql', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

export type Relation = 'cells' | 'product_cells' | 'order_counts' | 'dated_order_counts' | 'buyers' | 'per_customer' | 'top_customers' | 'customer_counts' | 'first_orders';

/** The dimensions a chart groups its cells by (they must be in the cube it reads). */
export type Grouping = 'product' | 'customer' | 'month';

interface Term { sql: string; params: SqlValue[] }
/**
 * One relation file with the terms for each of its markers (`/*filters*\/`, `/*order filters*\/`, ...), the cube it
 * reads, when not its own, and integers of our own tables (never a filter value) for markers that must be constants.
 */
interface Part { file: string; terms: Record<string, Term[]>; table?: string; constants?: Record<string, string> }

/**
 * The cubes of the cells, by the dimensions they keep: the smallest that has every
 * dimension a chart filters or groups by is read (names from this fixed list only).
 */
const CELL_CUBES: { keeps: Grouping[]; table: string }[] = [
  { keeps: ['product', 'month'], table: 'temp.dash_cube_pm' },
  { keeps: ['customer', 'month'], table: 'temp.dash_cube_cm' },
  { keeps: ['product', 'customer'], table: 'temp.dash_cube_pc' },
  { keeps: ['product', 'customer', 'month'], table: 'temp.dash_cube' },
];
const PRODUCT_CUBES: { keeps: Grouping[]; table: string }[] = [
  { keeps: ['product', 'month'], table: 'temp.dash_product_cube_pm' },
  { keeps: ['product', 'customer'], table: 'temp.dash_product_cube_pc' },
  { keeps: ['product', 'customer', 'month'], table: 'temp.dash_product_cube' },
];

/** The dimensions a relation must keep: those the chart groups by and those it filters by. */
function needs(scope: Scope, groups: readonly Grouping[]): Grouping[] {
  const need = new Set(groups);
  if (hasDates(scope)) need.add('month');
  for (const key of Object.keys(scope.codes) as DimensionKey[]) need.add(PRODUCT_DIMENSIONS.includes(key) ? 'product' : 'customer');
  return [...need];
}

/**
 * Cubes by day, for the days at the ends of a date range: by product codes, by customer
 * codes, or by both; the product cells by product only (with the customer codes it would
 * be nearly as large as the lines, which serve that case). The smallest that keeps every
 * needed dimension is read, like the month cubes.
 */
const DAY_CELL_CUBES: { keeps: Grouping[]; table: string }[] = [
  { keeps: ['product', 'month'], table: 'temp.dash_day_cube_pm' },
  { keeps: ['customer', 'month'], table: 'temp.dash_day_cube_cm' },
  { keeps: ['product', 'customer', 'month'], table: 'temp.dash_day_cube' },
];
const DAY_PRODUCT_CUBES: { keeps: Grouping[]; table: string }[] = [
  { keeps: ['product', 'month'], table: 'temp.dash_day_product_cube_pm' },
];

/**
 * The month cube with one customer dimension (`<prefix>by_<code column>`, the other customer
 * codes NULL) in place of the cube with every code, when the customer side is needed only for
 * a filter on that one dimension: a tenth of the rows or less.
 */
function oneCustomerDimension(table: string, full: string, scope: Scope, groups: readonly Grouping[]): string {
  if (table !== full || groups.includes('customer')) return table;
  const customer = (Object.keys(scope.codes) as DimensionKey[]).filter((k) => !PRODUCT_DIMENSIONS.includes(k));
  return customer.length === 1 ? `${full}_by_${CODE_COLUMN[customer[0]]}` : table;
}

function cubeFor(cubes: typeof CELL_CUBES, need: Grouping[]): string | undefined {
  return cubes.find((c) => need.every((n) => c.keeps.includes(n)))?.table;
}
/** The smallest cube of a list that keeps `need` (the last keeps every dimension: there is one). */
const smallestCube = (cubes: typeof CELL_CUBES, need: Grouping[]) => cubeFor(cubes, need)!;

/** The source of the end days: a day cube that keeps every needed dimension (`days` file), else the lines (`fine` file). */
function endDays(days: string, fine: string, table: string | undefined): { file: string; table?: string } {
  return table === undefined ? { file: fine } : { file: days, table };
}

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
    // Typed like the column: a parameter binds as DOUBLE, and the column would be cast on every row.
    else terms.push({ sql: `${CODE_COLUMN[key]} in (${codes.map(() => 'cast(? as utinyint)').join(', ')})`, params: codes });
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

/**
 * The bits of the whole months of a date range, counted from `first` (bit 0), as a
 * decimal UBIGINT; months before the first or past bit 63 hold no order.
 */
export function monthsMask(first: string, from?: string, to?: string): string {
  const { months } = splitRange(from, to);
  if (!months) return '0';
  const index = (day: string) => (Number(day.slice(0, 4)) - Number(first.slice(0, 4))) * 12 + Number(day.slice(5, 7)) - Number(first.slice(5, 7));
  const lo = Math.max(0, months.from === undefined ? 0 : index(months.from));
  const hi = Math.min(63, months.to === undefined ? 63 : index(months.to));
  let mask = 0n;
  for (let i = lo; i <= hi; i++) mask |= 1n << BigInt(i);
  return mask.toString();
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
function byMonth(scope: Scope, cube: string, fine: { file: string; table?: string }, codes: Term[], table?: string): Part[] {
  if (!hasDates(scope)) return [{ file: cube, terms: { filters: codes }, table }];
  const { months, edges } = splitRange(scope.from, scope.to);
  const parts: Part[] = [];
  if (months) parts.push({ file: cube, terms: { filters: [...codes, ...monthTerms(months)] }, table });
  if (edges.length) parts.push({ file: fine.file, terms: { filters: [...codes, edgeTerm(edges)] }, table: fine.table });
  return parts.length ? parts : [{ file: cube, terms: { filters: [FALSE] }, table }];
}

function parts(relation: Relation, scope: Scope, groups: readonly Grouping[]): Part[] {
  const product = scope.mask !== undefined;
  const dated = hasDates(scope);
  const customerCodes = codeTerms(scope, 'customer');
  switch (relation) {
    case 'cells': {
      const need = needs(scope, groups);
      const fine = { file: 'cells_days', table: smallestCube(DAY_CELL_CUBES, need) };
      const cube = oneCustomerDimension(smallestCube(CELL_CUBES, need), 'temp.dash_cube', scope, groups);
      return byMonth(scope, 'cells_cube', fine, codeTerms(scope, 'all'), cube);
    }
    case 'product_cells': {
      const need = needs(scope, [...groups, 'product']);
      const fine = endDays('product_cells_days', 'product_cells_lines', cubeFor(DAY_PRODUCT_CUBES, need));
      const cube = oneCustomerDimension(smallestCube(PRODUCT_CUBES, need), 'temp.dash_product_cube', scope, groups);
      return byMonth(scope, 'product_cells_cube', fine, codeTerms(scope, 'all'), cube);
    }
    case 'order_counts':
    case 'dated_order_counts': {
      if (!product) return byMonth(scope, 'order_counts_cube', { file: 'order_counts_days' }, customerCodes);
      // Only lines with an order date fall in a date range (or on the time axis).
      const column = dated || relation === 'dated_order_counts' ? 'dated_mask' : 'mask';
      return byMonth(scope, 'order_counts_masks', { file: 'order_counts_orders' }, [...customerCodes, ...maskTerm(scope, column)]);
    }
    case 'buyers': {
      if (!dated && !product) return [{ file: 'buyers_cube', terms: { filters: customerCodes } }];
      if (!dated) return [{ file: 'buyers_masks', terms: { filters: [...customerCodes, ...maskTerm(scope, 'mask')] } }];
      const months = !product && scope.firstMonth !== null ? monthsMask(scope.firstMonth, scope.from, scope.to) : undefined;
      if (months === undefined && scope.largestGroup) {
        // One bit per buyer within each combination of customer codes, not the orders grouped by customer;
        // the customer codes on the orders too (fewer combinations to group by).
        const largest = String(Math.trunc(scope.largestGroup));
        return [{ file: 'buyers_bits', terms: { 'order filters': [...customerCodes, ...maskTerm(scope, 'dated_mask'), ...dayTerms(scope)], filters: customerCodes }, constants: { 'largest group': largest } }];
      }
      if (months === undefined) return [{ file: 'buyers_orders', terms: { filters: [...customerCodes, ...maskTerm(scope, 'dated_mask'), ...dayTerms(scope)] } }];
      // Whole months from the buyers' month bits; the days at the ends from the orders of the others.
      const { edges } = splitRange(scope.from, scope.to);
      const inMonths: Term = { sql: '(months & cast(? as ubigint)) <> 0', params: [months] };
      const parts: Part[] = [{ file: 'buyers_months', terms: { filters: [...customerCodes, months === '0' ? FALSE : inMonths] } }];
      if (edges.length) {
        const notInMonths: Term = { sql: '(customer_months & cast(? as ubigint)) = 0', params: [months] };
        parts.push({ file: 'buyers_edges', terms: { filters: [...customerCodes, edgeTerm(edges), notInMonths] } });
      }
      return parts;
    }
    case 'top_customers':
    case 'customer_counts':
      // Under customer filters only, per-view tables answer (a few rows per combination of codes); else every customer's figures.
      if (!product && !dated) return [{ file: relation === 'top_customers' ? 'per_customer_top' : 'per_customer_counts', terms: { filters: customerCodes } }];
      return parts('per_customer', scope, groups);
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
  let text = relationFile(part.file);
  if (part.table) text = text.replace(/from temp\.dash_(day_)?(product_)?cube\b/, `from ${part.table}`);
  for (const [marker, value] of Object.entries(part.constants ?? {})) {
    if (!/^-?\d+$/.test(value)) throw new Error(`not an integer for ${marker}: ${value}`);
    text = text.replaceAll(`/*${marker}*/`, value);
  }
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

/** The relation `name` under `scope`, for a chart grouping by `groups`: the union of its parts. */
export function relationSql(name: Relation, scope: Scope, groups: readonly Grouping[] = []): Cte {
  const union = parts(name, scope, groups).map(partSql);
  const sql = union.map((p) => p.sql.trim()).join('\nunion all\n');
  const params = union.flatMap((p) => p.params);
  // The same text and parameters are the same rows, whatever the relation is called: computed once per statement.
  return { name, sql, params, key: JSON.stringify([sql, params]) };
}

/** The relations as CTEs in front of a chart query (its leading comments dropped); their parameters come first. */
export function withCtes(chartSql: string, ctes: readonly Cte[]): { sql: string; params: SqlValue[] } {
  const body = chartSql.replace(/^(\s*--[^\n]*\n)*/, '');
  if (ctes.length === 0) return { sql: body, params: [] };
  const head = ctes.map((c) => `${c.name} as (\n${c.sql}\n)`).join(',\n');
  const sql = /^with\s/i.test(body) ? body.replace(/^with\s+/i, `with ${head},\n`) : `with ${head}\n${body}`;
  return { sql, params: ctes.flatMap((c) => c.params) };
}
