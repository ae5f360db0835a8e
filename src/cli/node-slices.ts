/**
 * The slices of a large input file in Node (src/pipeline/slices.ts): DuckDB-WASM's Node runtime
 * reads whole files only, so each slice is copied to a temporary file just before it loads and
 * removed right after — no more than one slice is on disk at a time.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { DuckDBDataProtocol } from '@duckdb/duckdb-wasm/blocking';
import { lineMapText } from '../pipeline/record-lines.ts';
import { rangeLines, sliceRanges, type InputSlices, type SliceCut } from '../pipeline/slices.ts';
import type { WasmEngine } from '../duckdb/wasm-engine.ts';

let sliceCounter = 0;

/** Slices of `file` (UTF-8, `size` bytes), copied into `dir` one at a time; with a line map, each slice's part of it. */
export function fileSlices(file: string, size: number, dataRows: number, lines: Int32Array | null, cuts: SliceCut[], dir: string): InputSlices {
  return {
    ranges: sliceRanges(cuts, size, dataRows),
    async open(range) {
      const target = path.join(dir, `slice_${++sliceCounter}.csv`);
      // 1 MiB chunks: half the CPU of the default 64 KiB when copying a large slice.
      const chunk = { highWaterMark: 1 << 20 };
      await pipeline(createReadStream(file, { start: range.offset, end: range.end - 1, ...chunk }), createWriteStream(target, chunk));
      const lineMapPath = lines ? `${target}.lines.csv` : undefined;
      if (lineMapPath) await writeFile(lineMapPath, lineMapText(rangeLines(lines!, range)));
      return {
        path: target,
        lineMapPath,
        async release() {
          await rm(target, { force: true });
          if (lineMapPath) await rm(lineMapPath, { force: true });
        },
      };
    },
  };
}

/** The same slices, each registered with the locked engine under `<name>.slice_N.csv` while it loads. */
export function registeredFileSlices(engine: WasmEngine, slices: InputSlices, name: string): InputSlices {
  const register = (file: string, as: string) => {
    engine.db.registerFileURL(as, file, DuckDBDataProtocol.NODE_FS, false);
    return as;
  };
  return {
    ranges: slices.ranges,
    async open(range) {
      const file = await slices.open(range);
      const slicePath = register(file.path, `${name}.slice_${range.index}.csv`);
      const lineMapPath = file.lineMapPath && register(file.lineMapPath, `${slicePath}.lines.csv`);
      return {
        path: slicePath,
        lineMapPath,
        async release() {
          engine.db.dropFile(slicePath);
          if (lineMapPath) engine.db.dropFile(lineMapPath);
          await file.release();
        },
      };
    },
  };
}
