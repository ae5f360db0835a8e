/** Where the record counter cuts a file into slices, and the slices' byte ranges, records and lines. */
import { describe, expect, it } from 'vitest';
import { RecordLineCounter } from '../../src/pipeline/record-lines.ts';
import { fileLineError, sliceRanges } from '../../src/pipeline/slices.ts';

function count(text: string, sliceRecords: number, chunk = Infinity) {
  const bytes = new TextEncoder().encode(text);
  const counter = new RecordLineCounter('"', sliceRecords);
  for (let i = 0; i < bytes.length; i += Math.min(chunk, bytes.length)) counter.push(bytes.subarray(i, i + chunk));
  return { bytes, ...counter.finish() };
}

// Records: r1 (line 2), r2 spans lines 3-4, a blank line 5, r3 (line 6), r4 (7), r5 'é' (8, no line break).
const TEXT = 'a,b\r\nr1,x\r\nr2,"two\r\nlines"\r\n\r\nr3,y\r\nr4,z\r\nr5,é';

describe('slices of a CSV file', () => {
  it('are cut at the first byte of a record, never inside a quoted value, wherever the chunks end', () => {
    const whole = count(TEXT, 2);
    expect(whole.dataRows).toBe(5);
    expect(whole.lines).toEqual(Int32Array.from([2, 3, 6, 7, 8]));
    const decode = (from: number) => new TextDecoder().decode(whole.bytes.subarray(from));
    expect(whole.cuts.map((c) => decode(c.offset).slice(0, 2))).toEqual(['r3', 'r5']);
    // DuckDB counts the header, each record once and the blank line before a slice.
    expect(whole.cuts.map((c) => [c.recordsBefore, c.rowsBefore])).toEqual([[2, 4], [4, 6]]);
    for (const chunk of [1, 2, 3, 7]) expect(count(TEXT, 2, chunk).cuts).toEqual(whole.cuts);
  });

  it('give each slice its bytes and records; the first slice holds the header', () => {
    const { bytes, cuts, dataRows } = count(TEXT, 2);
    const ranges = sliceRanges(cuts, bytes.length, dataRows);
    expect(ranges.map((r) => [r.index, r.records, r.recordsBefore])).toEqual([[0, 2, 0], [1, 2, 2], [2, 1, 4]]);
    expect(ranges[0]).toMatchObject({ offset: 0, rowsBefore: 0 });
    expect(ranges.at(-1)!.end).toBe(bytes.length);
    for (let i = 1; i < ranges.length; i++) expect(ranges[i].offset).toBe(ranges[i - 1].end);
  });

  it('is one piece when slices are off, the file is small, or the header is not on line 1', () => {
    expect(count(TEXT, 0).cuts).toEqual([]);
    expect(count(TEXT, 5).cuts).toEqual([]);
    expect(count(`\n${TEXT}`, 1).cuts).toEqual([]);
  });

  it('names a CSV error line as in the whole file', () => {
    const [, second] = sliceRanges([{ offset: 10, recordsBefore: 2, rowsBefore: 4 }], 20, 3);
    const moved = fileLineError(new Error('Invalid Input Error: CSV Error on Line: 2\nOriginal Line: r4,z,w'), second) as Error;
    expect(moved.message).toBe('Invalid Input Error: CSV Error on Line: 6\nOriginal Line: r4,z,w');
    const other = new Error('Out of Memory Error');
    expect(fileLineError(other, second)).toBe(other);
  });
});
