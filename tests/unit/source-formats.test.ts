/**
 * The conversion rules of docs/source-formats.md, one by one: how numbers and dates become
 * text, a small workbook streamed to CSV (dates, booleans, quoting, line numbers, a value right
 * of the header), and the ZIP reader's guards (declared sizes, sizes that lie, entries chunked).
 */
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import writeXlsxFile, { type Row } from 'write-excel-file/node';
import { floatText, isoCellText, numberText, serialDateText, yyyymmddColumns } from '../../src/formats/cell-text.ts';
import type { ByteSink } from '../../src/formats/csv-sink.ts';
import { sheetToCsv } from '../../src/formats/xlsx-sheet.ts';
import { openWorkbook } from '../../src/formats/xlsx-workbook.ts';
import { ZipArchive } from '../../src/formats/zip-archive.ts';

/** A sink that keeps the text in memory, for small tests. */
function textSink(): ByteSink<string> {
  const chunks: Uint8Array[] = [];
  return {
    async write(chunk) { chunks.push(chunk); },
    async finish() { return new TextDecoder().decode(Buffer.concat(chunks)); },
  };
}

describe('cells become the text a CSV export holds', () => {
  it('numbers: integers exactly, others to 15 significant digits, no negative zero', () => {
    expect(numberText(43697)).toBe('43697');
    expect(numberText(0.1 + 0.2)).toBe('0.3');
    expect(numberText(7 * 19.99)).toBe('139.93');
    expect(numberText(-0)).toBe('0');
    expect(floatText(Math.fround(19.99))).toBe('19.99');
  });

  it('date serials: ISO dates, times, the 1900 leap-year quirk, the 1904 system, yyyymmdd columns', () => {
    expect(serialDateText(40541, false, false)).toBe('2010-12-29');
    expect(serialDateText(40541.5, false, false)).toBe('2010-12-29 12:00:00');
    expect(serialDateText(40541, false, true)).toBe('20101229');
    expect(serialDateText(0.25, false, false, true)).toBe('06:00:00');
    expect(serialDateText(60, false, false)).toBe('1900-02-29');
    expect(serialDateText(61, false, false)).toBe('1900-03-01');
    expect(serialDateText(39079, true, false)).toBe('2010-12-29');
    expect(serialDateText(-1, false, false)).toBe('-1');
    expect(isoCellText('2010-12-29T00:00:00Z', true)).toBe('20101229');
  });

  it('the yyyymmdd columns are those the sales contract reads that way, in any case', () => {
    const header = ['SLS_ORD_NUM', 'sls_prd_key', 'sls_cust_id', 'sls_order_dt', 'Sls_Ship_Dt', 'sls_due_dt', 'sls_sales', 'sls_quantity', 'sls_price'];
    expect([...yyyymmddColumns(header)]).toEqual([3, 4, 5]);
    expect(yyyymmddColumns(['cid', 'bdate', 'gen']).size).toBe(0);
  });
});

describe('a sheet streamed to CSV', () => {
  async function convert(rows: Row[]): Promise<{ csv?: string; lines?: number[] | null }> {
    const bytes = new Uint8Array(await writeXlsxFile(rows).toBuffer());
    const wb = await openWorkbook('book.xlsx', new Blob([bytes]));
    const out = await sheetToCsv(wb, wb.sheets[0], textSink());
    return { csv: out?.made, lines: out?.lines ? [...out.lines] : null };
  }

  it('typed cells, quoting, empty rows left out, records keep their sheet rows', async () => {
    const date = new Date(Date.UTC(2010, 11, 29));
    const sales = ['sls_ord_num', 'sls_prd_key', 'sls_cust_id', 'sls_order_dt', 'sls_ship_dt', 'sls_due_dt', 'sls_sales', 'sls_quantity', 'sls_price'];
    const { csv, lines } = await convert([
      [...sales, 'note', 'flag', 'when'],
      ['SO1', 'BK-R93R-62', 21768, { value: date, type: Date, format: 'dd/mm/yyyy' }, 20110105, 20110110, 0.1 + 0.2, 1, 0.3, 'a, "b"', true, { value: date, type: Date, format: 'mmm d, yyyy' }],
      [null, null, null, null, null, null, null, null, null, null, null, null],
      ['SO2', 'BK-R93R-62', 21768, 20101230, null, 20110111, 3578, 1, 3578, ' padded', false, null],
    ]);
    expect(csv).toBe(`${sales.join(',')},note,flag,when\n`
      + 'SO1,BK-R93R-62,21768,20101229,20110105,20110110,0.3,1,0.3,"a, ""b""",TRUE,2010-12-29\n'
      + 'SO2,BK-R93R-62,21768,20101230,,20110111,3578,1,3578," padded",FALSE,\n');
    expect(lines).toEqual([2, 4]);
  });

  it('a value right of the header is refused, naming the sheet, row and column', async () => {
    await expect(convert([['cid', 'cntry'], ['AW1', 'DE', 'stray']])).rejects.toThrow(
      'book.xlsx › Sheet1 row 2 has a value in column C, right of the header\'s last column B',
    );
  });
});

describe('ZIP archives: entry by entry, within limits', () => {
  /** About 4 MB of CSV that deflates like real data (a few times, not hundreds). */
  const text = new TextEncoder().encode(Array.from({ length: 300_000 }, (_, i) => `${i},${(i * 7919) % 100_003}\n`).join(''));

  it('reads an entry in many chunks, each much smaller than the entry', async () => {
    const zip = await ZipArchive.open('a.zip', new Blob([zipSync({ 'big.csv': text })]));
    let total = 0;
    let largest = 0;
    for await (const chunk of zip.read(zip.entries[0])) {
      total += chunk.length;
      largest = Math.max(largest, chunk.length);
    }
    expect(total).toBe(text.length);
    expect(largest).toBeLessThan(text.length / 4);
  });

  it('refuses what the directory declares past the limits, before inflating', async () => {
    const blob = new Blob([zipSync({ 'big.csv': text })]);
    await expect(ZipArchive.open('a.zip', blob, { maxTotalBytes: 1_000_000, maxRatio: 1000 })).rejects.toThrow('a.zip inflates past the safety limit');
    await expect(ZipArchive.open('a.zip', blob, { maxTotalBytes: 1e12, maxRatio: 2 })).rejects.toThrow('a.zip › big.csv inflates past the safety limit');
  });

  it('stops an entry that inflates past the size its directory declares', async () => {
    const bytes = zipSync({ 'big.csv': text });
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    // The central directory entry's uncompressed size (offset 24), lowered to 1 MiB.
    const central = bytes.length - 22 - (46 + 'big.csv'.length);
    expect(view.getUint32(central, true)).toBe(0x02014b50);
    view.setUint32(central + 24, 1024 * 1024, true);
    const zip = await ZipArchive.open('a.zip', new Blob([bytes]));
    const drain = async () => {
      for await (const chunk of zip.read(zip.entries[0])) void chunk;
    };
    await expect(drain()).rejects.toThrow('a.zip › big.csv inflates past the size its archive declares');
  });
});
