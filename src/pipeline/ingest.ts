/** ingest_bronze: loads each source file as text, with its file name and line number. */
import type { FileInspection } from './csv-inspect.ts';
import type { SqlEngine } from '../duckdb/sql-engine.ts';
import { quoteIdent, quoteLiteral } from '../sql/quote.ts';
import type { SourceId } from './sources.ts';
import { fileLineError, type InputSlices, type SliceRange } from './slices.ts';

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
  /** A large file cut at record starts: loaded one committed insert per slice (slices.ts). */
  slices?: InputSlices;
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

/** One read of a file (or of a slice of it) and how its records are numbered. */
interface Part {
  path: string;
  lineMapPath?: string;
  /** The file's first line is its header (only the first slice has one). */
  header: boolean;
  /** Data records before this part: without a line map, record n is on line n + 1. */
  recordsBefore: number;
}

/** `create table bronze.<source>`: every value text, plus the file name and line. */
function bronzeTableSql(source: SourceId, input: SourceInput): string {
  const names = bronzeColumnNames(input.inspection.columns);
  return `create table bronze.${source} (
      ${names.map((n) => `${quoteIdent(n)} varchar`).join(', ')},
      _source_file varchar generated always as (${quoteLiteral(input.inspection.name)}) virtual,
      _source_line integer
    )`;
}

/** The insert that reads one part; every option but the header is the same for every slice. */
function bronzeInsertSql(source: SourceId, input: SourceInput, part: Part): string {
  const { inspection } = input;
  const names = bronzeColumnNames(inspection.columns);
  const columns = names.map((n) => `${quoteLiteral(n)}: 'varchar'`).join(', ');
  const options = [
    `header = ${part.header}`,
    'auto_detect = false',
    `delim = ${quoteLiteral(inspection.delimiter)}`,
    `quote = '"'`,
    `escape = '"'`,
    // hosts hand DuckDB UTF-8 (transcode.ts), whatever the file was written in
    "encoding = 'utf-8'",
    `columns = {${columns}}`,
  ].join(', ');
  const data = `read_csv(${quoteLiteral(part.path)}, ${options})`;
  const from = part.lineMapPath
    ? `${data} as d positional join read_csv(${quoteLiteral(part.lineMapPath)}, header = false, auto_detect = false, columns = {'line': 'integer'}) as l`
    : `${data} with ordinality`;
  const quoted = names.map((n) => quoteIdent(n)).join(', ');
  return `insert into bronze.${source} (${quoted}, _source_line)
    select ${quoted}, ${part.lineMapPath ? 'l.line' : `(ordinality + ${part.recordsBefore + 1})::integer`}
    from ${from}`;
}

/**
 * The statements that load one whole file into `bronze.<source>`; every value stays text.
 * `_source_file` is a virtual column: one name for every row costs nothing to store,
 * where a materialised copy held 6 M strings while the load ran (80 MiB at scale 100).
 */
export function bronzeLoadSql(source: SourceId, input: SourceInput): string {
  const part = { path: input.path, lineMapPath: input.lineMapPath, header: true, recordsBefore: 0 };
  return `${bronzeTableSql(source, input)};
    ${bronzeInsertSql(source, input, part)}`;
}

/**
 * Loads one file into `bronze.<source>` and returns its rows. A sliced file is read a slice
 * at a time, each insert committed before the next slice is opened; `between` runs between
 * slices (the run's cancel checkpoint). A CSV error names the line as in the whole file.
 */
export async function loadBronze(engine: SqlEngine, source: SourceId, input: SourceInput, between?: () => Promise<void>): Promise<number> {
  const { slices } = input;
  if (!slices) await engine.exec(bronzeLoadSql(source, input));
  else {
    await engine.exec(bronzeTableSql(source, input));
    for (const range of slices.ranges) {
      if (range.index > 0) await between?.();
      await loadSlice(engine, source, input, slices, range);
    }
  }
  const [{ n }] = await engine.query<{ n: number }>(`select count(*)::integer as n from bronze.${source}`);
  return n;
}

async function loadSlice(engine: SqlEngine, source: SourceId, input: SourceInput, slices: InputSlices, range: SliceRange): Promise<void> {
  const file = await slices.open(range);
  try {
    const part = { path: file.path, lineMapPath: file.lineMapPath, header: range.index === 0, recordsBefore: range.recordsBefore };
    await engine.exec(bronzeInsertSql(source, input, part));
  } catch (e) {
    throw fileLineError(e, range);
  } finally {
    await file.release();
  }
}
