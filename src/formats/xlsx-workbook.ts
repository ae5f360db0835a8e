/**
 * The parts of an .xlsx workbook that give its sheets meaning: the sheet names and where each
 * sheet's XML lives (workbook.xml and its relationships), which cell styles are dates
 * (styles.xml, judged by numfmt), the 1904 date system, and the shared strings. XML is read by
 * saxes, a streaming parser; the sheets themselves are streamed by xlsx-sheet.ts.
 */
import { getFormatDateInfo, getFormatFromId, isDateFormat } from 'numfmt';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { FormatError } from './format-error.ts';
import { StringTable } from './string-table.ts';
import { ZipArchive, type ZipEntry } from './zip-archive.ts';

/** How a cell style shows a number: as a number, a date (maybe with a time), or a time of day. */
export type StyleKind = 'number' | 'date' | 'time';

export interface Workbook {
  name: string;
  zip: ZipArchive;
  sheets: { name: string; entry: ZipEntry }[];
  date1904: boolean;
  styles: StyleKind[];
  sharedStrings: StringTable;
}

/** Built-in number formats that are dates in every locale (ECMA-376 18.8.30), beside 14–22. */
const BUILT_IN_DATES = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

/** The element name without its namespace prefix (`x:row` → `row`). */
export const localName = (name: string) => name.slice(name.indexOf(':') + 1);

/** Reads one XML text with saxes; a malformed part is a damaged workbook. */
export function scanXml(where: string, text: string, handlers: {
  open?: (name: string, attrs: Record<string, string>) => void;
  text?: (text: string) => void;
  close?: (name: string) => void;
}): void {
  const parser = new SaxesParser();
  parser.on('opentag', (tag: SaxesTagPlain) => handlers.open?.(localName(tag.name), tag.attributes as Record<string, string>));
  if (handlers.text) {
    parser.on('text', handlers.text);
    parser.on('cdata', handlers.text);
  }
  if (handlers.close) parser.on('closetag', (tag: SaxesTagPlain) => handlers.close!(localName(tag.name)));
  try {
    parser.write(text).close();
  } catch (e) {
    throw new FormatError(`${where} is damaged: ${(e as Error).message.split('\n')[0]}`);
  }
}

/** Opens the workbook: an encrypted or damaged file, or a ZIP that is no workbook, is refused here. */
export async function openWorkbook(name: string, blob: Blob): Promise<Workbook> {
  const magic = new Uint8Array(await blob.slice(0, 8).arrayBuffer());
  if (magic[0] === 0xd0 && magic[1] === 0xcf && magic[2] === 0x11 && magic[3] === 0xe0) {
    throw new FormatError(`${name} is password-protected (encrypted) or an old binary .xls workbook: remove the password, or save it as an .xlsx workbook`);
  }
  if (magic[0] !== 0x50 || magic[1] !== 0x4b) throw new FormatError(`${name} is not an .xlsx workbook (it is not a ZIP package); it may be damaged`);
  const zip = await ZipArchive.open(name, blob);
  const workbookPath = (await relationships(zip, '_rels/.rels', '')).find((r) => r.type.endsWith('/officeDocument'))?.target ?? 'xl/workbook.xml';
  const workbookEntry = zip.find(workbookPath);
  if (!workbookEntry) throw new FormatError(`${name} is not an .xlsx workbook (it has no workbook part); it may be damaged`);
  const dir = workbookPath.slice(0, workbookPath.lastIndexOf('/') + 1);
  const rels = await relationships(zip, `${dir}_rels/${workbookPath.slice(dir.length)}.rels`, dir);
  const listed: { name: string; id: string }[] = [];
  let date1904 = false;
  scanXml(name, await zip.text(workbookEntry), {
    open(tag, attrs) {
      if (tag === 'sheet') listed.push({ name: attrs.name ?? '', id: relationId(attrs) });
      if (tag === 'workbookPr') date1904 = attrs.date1904 === '1' || attrs.date1904 === 'true';
    },
  });
  const sheets = listed.flatMap((s) => {
    const rel = rels.find((r) => r.id === s.id && r.type.endsWith('/worksheet'));
    const entry = rel && zip.find(rel.target);
    return entry ? [{ name: s.name, entry }] : [];
  });
  const part = (kind: string) => {
    const rel = rels.find((r) => r.type.endsWith(`/${kind}`));
    return rel ? zip.find(rel.target) : undefined;
  };
  const stylesEntry = part('styles');
  const stringsEntry = part('sharedStrings');
  return {
    name,
    zip,
    sheets,
    date1904,
    styles: stylesEntry ? readStyles(name, await zip.text(stylesEntry)) : [],
    sharedStrings: stringsEntry ? await readSharedStrings(name, zip, stringsEntry) : new StringTable(),
  };
}

/** `r:id` whatever the prefix of the relationships namespace is called. */
function relationId(attrs: Record<string, string>): string {
  const key = Object.keys(attrs).find((k) => k.includes(':') && localName(k) === 'id');
  return key ? attrs[key] : '';
}

async function relationships(zip: ZipArchive, path: string, base: string): Promise<{ id: string; type: string; target: string }[]> {
  const entry = zip.find(path);
  if (!entry) return [];
  const out: { id: string; type: string; target: string }[] = [];
  scanXml(zip.name, await zip.text(entry), {
    open(tag, attrs) {
      if (tag === 'Relationship' && attrs.TargetMode !== 'External') {
        out.push({ id: attrs.Id ?? '', type: attrs.Type ?? '', target: resolvePath(base, attrs.Target ?? '') });
      }
    },
  });
  return out;
}

/** A relationship target, relative to its part's folder or absolute from the package root. */
function resolvePath(base: string, target: string): string {
  const parts = (target.startsWith('/') ? target.slice(1) : base + target).split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '..') out.pop();
    else if (p !== '.' && p !== '') out.push(p);
  }
  return out.join('/');
}

/** Per cell style (`s` attribute), whether it shows a number as a date or time. */
function readStyles(name: string, xml: string): StyleKind[] {
  const formats = new Map<number, string>();
  const kinds: StyleKind[] = [];
  let inCellXfs = false;
  scanXml(name, xml, {
    open(tag, attrs) {
      if (tag === 'numFmt') formats.set(Number(attrs.numFmtId), attrs.formatCode ?? '');
      else if (tag === 'cellXfs') inCellXfs = true;
      else if (tag === 'xf' && inCellXfs) kinds.push(styleKind(Number(attrs.numFmtId ?? 0), formats));
    },
    close(tag) {
      if (tag === 'cellXfs') inCellXfs = false;
    },
  });
  return kinds;
}

function styleKind(id: number, formats: Map<number, string>): StyleKind {
  const code = formats.get(id) ?? (id < 164 ? getFormatFromId(id) : undefined);
  const date = BUILT_IN_DATES.has(id) || (typeof code === 'string' && isDateFormat(code));
  if (!date) return 'number';
  const info = typeof code === 'string' ? getFormatDateInfo(code) : undefined;
  return info && !info.year && !info.month && !info.day ? 'time' : 'date';
}

/** The shared string table: each `<si>`, its runs joined, phonetic hints (`<rPh>`) left out. */
async function readSharedStrings(name: string, zip: ZipArchive, entry: ZipEntry): Promise<StringTable> {
  const strings = new StringTable();
  let current = '';
  let inText = false;
  let phonetic = 0;
  const parser = new SaxesParser();
  parser.on('opentag', (tag: SaxesTagPlain) => {
    const t = localName(tag.name);
    if (t === 'si') current = '';
    else if (t === 'rPh') phonetic++;
    else if (t === 't' && !phonetic) inText = true;
  });
  parser.on('text', (text) => {
    if (inText) current += text;
  });
  parser.on('closetag', (tag: SaxesTagPlain) => {
    const t = localName(tag.name);
    if (t === 't') inText = false;
    else if (t === 'rPh') phonetic--;
    else if (t === 'si') strings.push(unescapeXstring(current));
  });
  const decoder = new TextDecoder();
  try {
    for await (const chunk of zip.read(entry)) parser.write(decoder.decode(chunk, { stream: true }));
    parser.write(decoder.decode()).close();
  } catch (e) {
    if (e instanceof FormatError) throw e;
    throw new FormatError(`${name} is damaged: its shared strings could not be read (${(e as Error).message.split('\n')[0]})`);
  }
  return strings;
}

/** OOXML writes characters XML cannot hold as `_xHHHH_` (and a literal `_x` as `_x005F_x`). */
export function unescapeXstring(text: string): string {
  if (!text.includes('_x')) return text;
  return text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
