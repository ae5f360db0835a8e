/**
 * One worksheet, streamed to CSV: its XML is inflated and parsed chunk by chunk (saxes), each
 * row turned into text by the rules of cell-text.ts and written out, so neither the sheet's XML
 * nor its rows are ever held whole. The first row with a value is the header; empty rows are
 * left out; each record keeps its sheet row as its line (the header is line 1 when it is row 1).
 */
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { isoCellText, numberText, serialDateText, yyyymmddColumns } from './cell-text.ts';
import { CsvWriter, type ByteSink } from './csv-sink.ts';
import { FormatError } from './format-error.ts';
import { localName, unescapeXstring, type Workbook } from './xlsx-workbook.ts';
import type { ZipEntry } from './zip-archive.ts';

export interface ConvertedTable<T> {
  made: T;
  header: string[];
  rows: number;
  lines: Int32Array | null;
}

/** `A` → 0, `AB` → 27: the column of a cell reference like `AB12`. */
function columnIndex(ref: string): number {
  let n = 0;
  for (const ch of ref) {
    const code = ch.charCodeAt(0);
    if (code < 65 || code > 90) break;
    n = n * 26 + code - 64;
  }
  return n - 1;
}

function columnLetters(index: number): string {
  let s = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** Streams a sheet into the sink; undefined when the sheet holds no value at all. */
export async function sheetToCsv<T>(wb: Workbook, sheet: { name: string; entry: ZipEntry }, sink: ByteSink<T>): Promise<ConvertedTable<T> | undefined> {
  const where = `${wb.name} › ${sheet.name}`;
  let header: string[] | undefined;
  let writer: CsvWriter<T> | undefined;
  let dates = new Set<number>();
  const pending: { line: number; fields: string[] }[] = [];

  // Cell and row state while parsing.
  let line = 0;
  let fields: string[] = [];
  let col = -1;
  let type = 'n';
  let style = 0;
  let value = '';
  let capture = false;
  let phonetic = 0;

  const cellText = (): string => {
    switch (type) {
      case 's': {
        const text = wb.sharedStrings.at(Number(value));
        if (text === undefined) throw new FormatError(`${where} is damaged: cell ${columnLetters(col)}${line} refers to a missing shared string`);
        return text;
      }
      case 'inlineStr':
      case 'str':
        return unescapeXstring(value);
      case 'b':
        return value === '1' ? 'TRUE' : 'FALSE';
      case 'e':
        return value;
      case 'd':
        return isoCellText(value, dates.has(col));
      default: {
        if (value === '') return '';
        const n = Number(value);
        if (Number.isNaN(n)) return value;
        const kind = wb.styles[style] ?? 'number';
        return kind === 'number' ? numberText(n) : serialDateText(n, wb.date1904, dates.has(col), kind === 'time');
      }
    }
  };

  const parser = new SaxesParser();
  parser.on('opentag', (tag: SaxesTagPlain) => {
    const attrs = tag.attributes as Record<string, string>;
    switch (localName(tag.name)) {
      case 'row':
        line = attrs.r ? Number(attrs.r) : line + 1;
        fields = [];
        col = -1;
        break;
      case 'c':
        col = attrs.r ? columnIndex(attrs.r) : col + 1;
        type = attrs.t ?? 'n';
        style = Number(attrs.s ?? 0);
        value = '';
        break;
      case 'v':
        capture = true;
        break;
      case 'rPh':
        phonetic++;
        break;
      case 't':
        if (type === 'inlineStr' && !phonetic) capture = true;
        break;
    }
  });
  const onText = (text: string) => {
    if (capture) value += text;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', (tag: SaxesTagPlain) => {
    switch (localName(tag.name)) {
      case 'v':
      case 't':
        capture = false;
        break;
      case 'rPh':
        phonetic--;
        break;
      case 'c': {
        const text = cellText();
        if (text !== '') fields[col] = text;
        break;
      }
      case 'row':
        if (!fields.length) break;
        // The header is taken at once: the rows after it, in this same chunk, need its date columns.
        if (header) pending.push({ line, fields });
        else {
          header = Array.from(fields, (f) => f ?? '');
          dates = yyyymmddColumns(header);
          writer = new CsvWriter(sink, header);
        }
        break;
    }
  });

  const flushRows = async () => {
    for (const row of pending.splice(0)) {
      const cells = Array.from(row.fields, (f) => f ?? '');
      if (cells.length > header!.length) {
        throw new FormatError(
          `${where} row ${row.line} has a value in column ${columnLetters(cells.length - 1)}, right of the header's last column ${columnLetters(header!.length - 1)}; remove it or give the column a header`,
        );
      }
      while (cells.length < header!.length) cells.push('');
      await writer!.row(cells, row.line);
    }
  };

  const decoder = new TextDecoder();
  try {
    for await (const chunk of wb.zip.read(sheet.entry)) {
      parser.write(decoder.decode(chunk, { stream: true }));
      await flushRows();
    }
    parser.write(decoder.decode()).close();
    await flushRows();
  } catch (e) {
    if (e instanceof FormatError) throw e;
    throw new FormatError(`${where} is damaged: ${(e as Error).message.split('\n')[0]}`);
  }
  if (!header || !writer) return undefined;
  const { made, rows, lines } = await writer.finish();
  return { made, header, rows, lines };
}
