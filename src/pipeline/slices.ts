/**
 * Large inputs are loaded into bronze a slice at a time: byte ranges cut at record starts,
 * each read by its own committed insert. An insert holds every row it adds uncompressed until
 * it commits, so one insert for a 6 M-line file took DuckDB-WASM's heap to 1.1 GiB for tables
 * that then hold 0.1 GiB; slices bound that transient by one slice (bench/README.md). The
 * hosts make a range a file the engine reads (a Blob slice in the browser, a temporary file
 * in Node); the rows and their line numbers are exactly those of a one-piece load.
 */
import { lineMapText } from './record-lines.ts';

/**
 * Records per slice, chosen by measurement (bench/README.md, "Bronze in slices"): loading the
 * scale-100 sales file (6.0 M records) alone, the heap after the load was 1,104 MiB in one piece,
 * 594 in slices of 2 M, 498 of 1 M, 415 of 500,000 and still 415 of 250,000; the CPU stayed
 * within run-to-run noise down to 500,000 but rose by 8–9 s at 250,000 in all three runs.
 */
export const SLICE_RECORDS = 500_000;

/** Where a slice after the first starts, as the record counter found it (record-lines.ts). */
export interface SliceCut {
  /** Byte offset of the first line of its first record. */
  offset: number;
  /** Data records before it. */
  recordsBefore: number;
  /** Rows DuckDB counts before it in its error messages: the header, records and blank lines. */
  rowsBefore: number;
}

/** One slice: bytes [start, end) of the UTF-8 file; the first holds the header. */
export interface SliceRange extends SliceCut {
  index: number;
  end: number;
  /** Data records in it. */
  records: number;
}

/** A range made readable: the name DuckDB reads it by, and its records' lines when the file has a line map. */
export interface SliceFile {
  path: string;
  lineMapPath?: string;
  /** Drops what open() made (the registration, a temporary file). */
  release(): Promise<void>;
}

export interface InputSlices {
  ranges: SliceRange[];
  open(range: SliceRange): Promise<SliceFile>;
}

/** The slices of a file of `size` bytes and `dataRows` records, given where the later ones start. */
export function sliceRanges(cuts: SliceCut[], size: number, dataRows: number): SliceRange[] {
  const starts: SliceCut[] = [{ offset: 0, recordsBefore: 0, rowsBefore: 0 }, ...cuts];
  return starts.map((cut, index) => {
    const next = starts[index + 1];
    return {
      ...cut,
      index,
      end: next ? next.offset : size,
      records: (next ? next.recordsBefore : dataRows) - cut.recordsBefore,
    };
  });
}

/** The lines of a range's records, from the file's line map. */
export function rangeLines(lines: Int32Array, range: SliceRange): Int32Array {
  return lines.subarray(range.recordsBefore, range.recordsBefore + range.records);
}

/** A CSV error of a slice, with its line as the whole file's (DuckDB counts from the slice's start). */
export function fileLineError(e: unknown, range: SliceRange): unknown {
  if (range.rowsBefore === 0 || !(e instanceof Error)) return e;
  const message = e.message.replace(/CSV Error on Line: (\d+)/, (_, n: string) => `CSV Error on Line: ${Number(n) + range.rowsBefore}`);
  return message === e.message ? e : new Error(message);
}

/** The part of DuckDB-WASM's file registry the slices use. */
export interface FileRegistry {
  registerFileText(name: string, text: string): unknown;
  dropFile(name: string): unknown;
}

/**
 * Slices registered with the engine while they load, as `<base>.slice_N.csv` (made readable by
 * `addBytes`: a Blob slice, a buffer), each with its part of the line map as text beside it.
 */
export function registeredSlices(
  db: FileRegistry, base: string, ranges: SliceRange[], lines: Int32Array | null, addBytes: (name: string, range: SliceRange) => void,
): InputSlices {
  return {
    ranges,
    async open(range) {
      const path = `${base}.slice_${range.index}.csv`;
      addBytes(path, range);
      const lineMapPath = lines ? `${path}.lines.csv` : undefined;
      if (lineMapPath) db.registerFileText(lineMapPath, lineMapText(rangeLines(lines!, range)));
      return {
        path,
        lineMapPath,
        async release() {
          db.dropFile(path);
          if (lineMapPath) db.dropFile(lineMapPath);
        },
      };
    },
  };
}
