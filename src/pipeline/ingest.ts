/** ingest_bronze: loads each source file as text, with its file name and line number. */
import type { FileInspection } from './csv-inspect.ts';
import type { SqlEngine } from '../duckdb/sql-engine.ts';
import { quoteIdent, quoteLiteral } from '../sql/quote.ts';
import type { SourceId } from './sources.ts';

/** A file ready to load: what inspection found, and the name DuckDB reads it by (UTF-8 content). */
export interface SourceInput {
  inspection: FileInspection;
  /** Path or registered file name that `read_csv` opens. */
  path: string;
  sha256?: string;
  /**
   * Where some record does not start on line n + 1 (a value spanning lines, blank lines):
   * a registered one-column file with the line of each record (record-lines.ts).
   */
  lineMapPath?: string;
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

/**
 * The statements that load one file into `bronze.<source>`; every value stays text.
 * `_source_file` is a virtual column: one name for every row costs nothing to store,
 * where a materialised copy held 6 M strings while the load ran (80 MiB at scale 100).
 */
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
    // hosts hand DuckDB UTF-8 (transcode.ts), whatever the file was written in
    "encoding = 'utf-8'",
    `columns = {${columns}}`,
  ].join(', ');
  const data = `read_csv(${quoteLiteral(input.path)}, ${options})`;
  const from = input.lineMapPath
    ? `${data} as d positional join read_csv(${quoteLiteral(input.lineMapPath)}, header = false, auto_detect = false, columns = {'line': 'integer'}) as l`
    : `${data} with ordinality`;
  const quoted = names.map((n) => quoteIdent(n)).join(', ');
  return `create table bronze.${source} (
      ${names.map((n) => `${quoteIdent(n)} varchar`).join(', ')},
      _source_file varchar generated always as (${quoteLiteral(inspection.name)}) virtual,
      _source_line integer
    );
    insert into bronze.${source} (${quoted}, _source_line)
    select ${quoted}, ${input.lineMapPath ? 'l.line' : '(ordinality + 1)::integer'}
    from ${from}`;
}

export async function loadBronze(engine: SqlEngine, source: SourceId, input: SourceInput): Promise<number> {
  await engine.exec(bronzeLoadSql(source, input));
  const [{ n }] = await engine.query<{ n: number }>(`select count(*)::integer as n from bronze.${source}`);
  return n;
}
