/** ingest_bronze: loads each source file as text, with its file name and line number. */
import type { FileInspection } from './csv-inspect.ts';
import type { SqlEngine } from './engine.ts';
import { quoteIdent, quoteLiteral } from './sql-quote.ts';
import type { SourceId } from './sources.ts';

/** A file ready to load: what inspection found, and the name DuckDB reads it by. */
export interface SourceInput {
  inspection: FileInspection;
  /** Path or registered file name that `read_csv` opens. */
  path: string;
  sha256?: string;
}

/** Column names for bronze: normalised header cells, made unique, never empty. */
export function bronzeColumnNames(columns: string[]): string[] {
  const seen = new Map<string, number>();
  return columns.map((raw, i) => {
    const base = raw === '' ? `column_${i + 1}` : raw;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}_${n}`;
  });
}

const ENCODINGS: Record<FileInspection['encoding'], string> = { 'utf-8': 'utf-8', 'utf-16le': 'utf-16', 'utf-16be': 'utf-16' };

/** The `create table bronze.<source>` statement for one file; every value stays text. */
export function bronzeLoadSql(source: SourceId, input: SourceInput): string {
  const { inspection } = input;
  const names = bronzeColumnNames(inspection.columns);
  const columns = names.map((n) => `${quoteLiteral(n)}: 'varchar'`).join(', ');
  const options = [
    'header = true',
    'auto_detect = false',
    `delim = ${quoteLiteral(inspection.delimiter)}`,
    `quote = '"'`,
    `escape = '"'`,
    `encoding = ${quoteLiteral(ENCODINGS[inspection.encoding])}`,
    `columns = {${columns}}`,
  ].join(', ');
  return `create table bronze.${source} as
    select ${names.map(quoteIdent).join(', ')},
      ${quoteLiteral(inspection.name)} as _source_file,
      (ordinality + 1)::integer as _source_line
    from read_csv(${quoteLiteral(input.path)}, ${options}) with ordinality`;
}

export async function loadBronze(engine: SqlEngine, source: SourceId, input: SourceInput): Promise<number> {
  await engine.exec(bronzeLoadSql(source, input));
  const [{ n }] = await engine.query<{ n: number }>(`select count(*)::integer as n from bronze.${source}`);
  return n;
}
