/**
 * Reads the start of a file and tells what it is: encoding, delimiter, header
 * columns and which source contract it matches. Pure: works on bytes, no I/O.
 */
import {
  SOURCES,
  normaliseColumnName,
  recogniseSource,
  type SourceContract,
  type SourceId,
} from './sources.ts';

/** How many bytes of each file the inspection reads. */
export const HEAD_BYTES = 64 * 1024;

/** What a file is written in; anything but UTF-8 is transcoded to UTF-8 before DuckDB reads it. */
export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';
export type Delimiter = ',' | ';' | '\t' | '|';
const DELIMITERS: Delimiter[] = [',', ';', '\t', '|'];

export interface FileInspection {
  name: string;
  size: number;
  encoding: Encoding;
  hasBom: boolean;
  delimiter: Delimiter;
  /** Header cells as written. */
  header: string[];
  /** Header cells normalised (trimmed, lower case). */
  columns: string[];
  source?: SourceId;
  /** Why the file cannot be used, in words. */
  problem?: string;
}

export function inspectHead(name: string, size: number, head: Uint8Array): FileInspection {
  const { encoding, hasBom, text } = decodeHead(head);
  const base = { name, size, encoding, hasBom, delimiter: ',' as Delimiter, header: [], columns: [] };
  if (size === 0 || text.trim() === '') return { ...base, problem: `${name} is empty` };
  if (looksBinary(text)) return { ...base, problem: `${name} is not a text CSV file (it contains binary data)` };
  const firstLine = text.split(/\r?\n/, 1)[0];
  const delimiter = guessDelimiter(firstLine);
  const header = splitHeader(firstLine, delimiter);
  const columns = header.map(normaliseColumnName);
  const source = recogniseSource(columns);
  const inspection: FileInspection = { ...base, delimiter, header, columns, source: source?.id };
  if (!source) inspection.problem = `${name} matches no source (its columns: ${header.join(', ')})${nearMiss(columns)}`;
  return inspection;
}

/** When a header has most of one source's columns, which are missing: `; the CRM sales columns without sls_price`. */
function nearMiss(columns: string[]): string {
  const present = new Set(columns);
  const near = SOURCES.map((s) => ({ s, missing: s.columns.filter((c) => !present.has(c)) }))
    .filter(({ s, missing }) => missing.length * 2 < s.columns.length)
    .sort((a, b) => a.missing.length - b.missing.length)[0];
  return near ? `; it has the ${near.s.label} columns but not ${near.missing.join(', ')}` : '';
}

function decodeHead(head: Uint8Array): { encoding: Encoding; hasBom: boolean; text: string } {
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', hasBom: true, text: decode('utf-16le', head.subarray(2)) };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', hasBom: true, text: decode('utf-16be', head.subarray(2)) };
  const hasBom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
  const body = hasBom ? head.subarray(3) : head;
  if (!hasBom && !isUtf8(body)) return { encoding: 'windows-1252', hasBom: false, text: decode('windows-1252', body) };
  return { encoding: 'utf-8', hasBom, text: decode('utf-8', body) };
}

/** Valid UTF-8, allowing a multi-byte character cut off at the end of the head. */
function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

function decode(encoding: string, bytes: Uint8Array): string {
  return new TextDecoder(encoding, { fatal: false }).decode(bytes);
}

/** NUL bytes or many control characters mean the file is not text. */
function looksBinary(text: string): boolean {
  const sample = text.slice(0, 4096);
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const code = sample.charCodeAt(i);
    if (code === 0) return true;
    if (code < 9 || (code > 13 && code < 32) || code === 0xfffd) control++;
  }
  return control > sample.length * 0.05;
}

/** The candidate delimiter that splits the header line into the most cells. */
export function guessDelimiter(line: string): Delimiter {
  let best: Delimiter = ',';
  let bestCount = 0;
  for (const d of DELIMITERS) {
    const count = splitHeader(line, d).length;
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

/** Splits one CSV line, honouring double quotes. */
export function splitHeader(line: string, delimiter: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  cells.push(cell);
  return cells.map((c) => c.trim());
}

export interface SourceAssignment {
  /** The file chosen for each source. */
  files: Partial<Record<SourceId, FileInspection>>;
  /** Everything that stops a run, in words (empty when the set is complete). */
  problems: string[];
}

/** Checks a set of inspected files: one per source, none unknown, none missing. */
export function assignSources(inspections: FileInspection[]): SourceAssignment {
  const problems: string[] = [];
  const files: Partial<Record<SourceId, FileInspection>> = {};
  const bySource = new Map<SourceId, FileInspection[]>();
  for (const f of inspections) {
    if (f.problem) problems.push(f.problem);
    if (!f.source) continue;
    bySource.set(f.source, [...(bySource.get(f.source) ?? []), f]);
  }
  for (const contract of SOURCES) {
    const found = bySource.get(contract.id) ?? [];
    if (found.length > 1) {
      problems.push(`${found.map((f) => f.name).join(' and ')} are both ${contract.label} files; keep one`);
    } else if (found.length === 0) {
      problems.push(`missing the ${contract.label} file (expected columns: ${expected(contract)})`);
    } else files[contract.id] = found[0];
  }
  if (problems.some((p) => p.includes('matches no source'))) {
    problems.push(`expected one file per source: ${SOURCES.map((s) => `${s.label} (${expected(s)})`).join('; ')}`);
  }
  return { files, problems };
}

function expected(contract: SourceContract): string {
  return contract.columns.join(', ');
}
