/**
 * Writes a large .xlsx workbook from a folder of the six CSVs, streamed (fflate's streaming
 * Zip), so the benchmark can make a workbook of any size without holding it: one sheet per
 * CSV, numbers as number cells, other text in the shared string table as Excel writes it.
 * A benchmark fixture only: the app reads workbooks, it never writes these.
 */
import { Zip, ZipDeflate } from 'fflate';
import { createReadStream, createWriteStream } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';

const escapeXml = (s: string) => s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?$/;

/** The fields of one CSV line (quoted fields may hold commas and `""`; no line breaks inside). */
function fields(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  return [...line.matchAll(/(?:^|,)(?:"((?:[^"]|"")*)"|([^,]*))/g)].map((m) => (m[1] !== undefined ? m[1].replaceAll('""', '"') : m[2]));
}

/** Writes `out` from the CSV files (path inside `dir`); resolves with its size in bytes. */
export async function writeWorkbook(dir: string, files: string[], out: string): Promise<number> {
  const stream = createWriteStream(out);
  let size = 0;
  const done = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve).on('error', reject);
  });
  const zip = new Zip((err, chunk, final) => {
    if (err) throw err;
    size += chunk.length;
    stream.write(chunk);
    if (final) stream.end();
  });
  const text = (name: string, body: string) => {
    const entry = new ZipDeflate(name, { level: 6 });
    zip.add(entry);
    entry.push(new TextEncoder().encode(body), true);
  };
  const strings = new Map<string, number>();
  const sheets = files.map((f, i) => ({ name: path.basename(f, '.csv'), part: `worksheets/sheet${i + 1}.xml` }));
  text('[Content_Types].xml', '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    + '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    + '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    + sheets.map((s) => `<Override PartName="/xl/${s.part}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('')
    + '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>');
  text('_rels/.rels', '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    + '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>');
  text('xl/workbook.xml', '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    + 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    + sheets.map((s, i) => `<sheet name="${escapeXml(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('') + '</sheets></workbook>');
  text('xl/_rels/workbook.xml.rels', '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    + sheets.map((s, i) => `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="${s.part}"/>`).join('')
    + `<Relationship Id="rId${sheets.length + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`);
  for (const [i, file] of files.entries()) {
    const entry = new ZipDeflate(`xl/${sheets[i].part}`, { level: 6 });
    zip.add(entry);
    const encoder = new TextEncoder();
    entry.push(encoder.encode('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'));
    let row = 0;
    let buffer = '';
    for await (const line of createInterface({ input: createReadStream(path.join(dir, file)), crlfDelay: Infinity })) {
      if (line === '') continue;
      row++;
      buffer += `<row r="${row}">` + fields(line).map((v) => {
        if (v === '') return '<c/>';
        if (NUMBER.test(v) && row > 1) return `<c><v>${v}</v></c>`;
        let id = strings.get(v);
        if (id === undefined) strings.set(v, (id = strings.size));
        return `<c t="s"><v>${id}</v></c>`;
      }).join('') + '</row>';
      if (buffer.length > 1 << 20) {
        entry.push(encoder.encode(buffer));
        buffer = '';
      }
    }
    entry.push(encoder.encode(`${buffer}</sheetData></worksheet>`), true);
  }
  const shared = new ZipDeflate('xl/sharedStrings.xml', { level: 6 });
  zip.add(shared);
  shared.push(new TextEncoder().encode(`<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" uniqueCount="${strings.size}">`));
  let buffer = '';
  for (const s of strings.keys()) {
    buffer += `<si><t xml:space="preserve">${escapeXml(s)}</t></si>`;
    if (buffer.length > 1 << 20) {
      shared.push(new TextEncoder().encode(buffer));
      buffer = '';
    }
  }
  shared.push(new TextEncoder().encode(`${buffer}</sst>`), true);
  zip.end();
  await done;
  return size;
}
