/**
 * What export_for_powerbi checks before it offers a table for Power BI: the table
 * exists, big sums fit the 64-bit whole numbers they are exported as, keys are
 * unique and never empty, and every relationship's value is found on the other side.
 * (Column names need no check: DuckDB already keeps them unique ignoring case, as
 * Power BI does.)
 */
import type { SqlEngine } from '../duckdb/sql-engine.ts';
import { quoteIdent } from '../sql/quote.ts';
import { packageTableName } from '../pipeline/exports.ts';
import { keyOf, RELATIONSHIPS } from './star-schema.ts';
import { describeTable, type TableShape } from './table-export.ts';

/** A problem that makes a table unfit for the package, said in words. */
export class ExportCheckError extends Error {}

const INT64 = { min: '-9223372036854775808', max: '9223372036854775807' };

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function qualified(table: string): string {
  return table.split('.').map(quoteIdent).join('.');
}

/** Checks one table; returns what was checked, or throws ExportCheckError. */
export async function checkExportTable(engine: SqlEngine, table: string): Promise<string> {
  return (await checkAndDescribe(engine, table)).checked;
}

/** Checks one table and returns its exported shape too, so a writer need not describe it again. */
export async function checkAndDescribe(engine: SqlEngine, table: string): Promise<{ checked: string; shape: TableShape }> {
  const shape = await describeTable(engine, table).catch((e: Error) => {
    throw new ExportCheckError(e.message);
  });
  const notes = [count(shape.columns.length, 'column')];

  for (const c of shape.columns.filter((col) => col.needsRangeCheck)) {
    const col = quoteIdent(c.name);
    const [{ n }] = await engine.query<{ n: number }>(
      `select count(*)::integer as n from ${qualified(table)} where ${col} < ${INT64.min}::hugeint or ${col} > ${INT64.max}::hugeint`,
    );
    if (n > 0) throw new ExportCheckError(`${table}.${c.name} has ${count(n, 'value')} beyond the 64-bit range of a whole number`);
  }

  const key = keyOf(table);
  if (key) {
    const [{ empty, duplicates }] = await engine.query<{ empty: number; duplicates: number }>(
      `select count(*) filter (where ${quoteIdent(key)} is null)::integer as empty,
              (count(${quoteIdent(key)}) - count(distinct ${quoteIdent(key)}))::integer as duplicates
       from ${qualified(table)}`,
    );
    if (empty || duplicates) {
      throw new ExportCheckError(`${table}.${key} must be a unique key: ${count(empty, 'empty value')} and ${count(duplicates, 'repeated value')}`);
    }
    notes.push(`key ${key} unique`);
  }

  for (const r of RELATIONSHIPS.filter((rel) => rel.from === table)) {
    const [{ missing, empty }] = await engine.query<{ missing: number; empty: number }>(
      `select count(*) filter (where f.${quoteIdent(r.column)} is not null and t.${quoteIdent(r.key)} is null)::integer as missing,
              count(*) filter (where f.${quoteIdent(r.column)} is null)::integer as empty
       from ${qualified(r.from)} as f left join ${qualified(r.to)} as t on f.${quoteIdent(r.column)} = t.${quoteIdent(r.key)}`,
    );
    if (missing) throw new ExportCheckError(`${count(missing, 'row')} of ${table} ${missing === 1 ? 'has' : 'have'} a ${r.column} that ${r.to} does not have`);
    notes.push(`${r.column} → ${packageTableName(r.to)} ok${empty ? ` (${count(empty, 'row')} without one)` : ''}`);
  }
  return { checked: notes.join(', '), shape };
}
