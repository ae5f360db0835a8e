/**
 * Column types as exported: every DuckDB type is mapped to one that CSV readers,
 * Parquet readers and Power BI all understand, so nobody has to edit a column type.
 */
import { quoteIdent } from '../sql/quote.ts';

/** A column as DuckDB describes it (`duckdb_columns().data_type`). */
export interface ColumnInfo {
  name: string;
  type: string;
}

/** A column as it is written: its exported DuckDB type and how Power BI shows it. */
export interface ExportColumn extends ColumnInfo {
  /** The DuckDB type written (BIGINT, INTEGER, DOUBLE, BOOLEAN, DATE, TIMESTAMP or VARCHAR). */
  exportType: string;
  /** Power BI's name for that type. */
  powerBiType: string;
  /** True when values beyond the 64-bit range would not fit (HUGEINT and UBIGINT sums). */
  needsRangeCheck: boolean;
}

const KEPT = new Set(['BIGINT', 'INTEGER', 'DOUBLE', 'BOOLEAN', 'DATE', 'VARCHAR']);
const TO_INTEGER = new Set(['TINYINT', 'SMALLINT', 'UTINYINT', 'USMALLINT']);
const TO_BIGINT = new Set(['UINTEGER', 'UBIGINT', 'HUGEINT', 'UHUGEINT']);

const POWER_BI: Record<string, string> = {
  BIGINT: 'Whole number',
  INTEGER: 'Whole number',
  DOUBLE: 'Decimal number',
  BOOLEAN: 'True/False',
  DATE: 'Date',
  TIMESTAMP: 'Date/Time',
  VARCHAR: 'Text',
};

/** The exported type of a DuckDB type. */
export function exportType(duckdbType: string): string {
  const type = duckdbType.toUpperCase();
  if (KEPT.has(type)) return type;
  if (TO_INTEGER.has(type)) return 'INTEGER';
  if (TO_BIGINT.has(type)) return 'BIGINT';
  if (type === 'FLOAT' || type.startsWith('DECIMAL')) return 'DOUBLE';
  if (type.startsWith('TIMESTAMP') && !type.includes('TIME ZONE')) return 'TIMESTAMP';
  // Lists, structs, intervals, blobs, enums, times: text is what every reader can take.
  return 'VARCHAR';
}

/** Describes how each column is exported. */
export function exportColumns(columns: ColumnInfo[]): ExportColumn[] {
  return columns.map((c) => {
    const target = exportType(c.type);
    return {
      ...c,
      exportType: target,
      powerBiType: POWER_BI[target],
      needsRangeCheck: c.type.toUpperCase() === 'UBIGINT' || c.type.toUpperCase().endsWith('HUGEINT'),
    };
  });
}

/** The select list that casts every column to its exported type, keeping its name. */
export function exportSelectList(columns: ExportColumn[]): string {
  return columns
    .map((c) => {
      const name = quoteIdent(c.name);
      return c.exportType === c.type.toUpperCase() ? name : `cast(${name} as ${c.exportType}) as ${name}`;
    })
    .join(', ');
}
