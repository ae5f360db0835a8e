/**
 * Node side of file handling: model files from disk, input files inspected from disk and
 * registered with the engine. Workbooks, Parquet files and ZIP archives are converted to
 * temporary CSV files first (src/formats/), removed when the process ends.
 */
import { DuckDBDataProtocol } from '@duckdb/duckdb-wasm/blocking';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, openAsBlob, rmSync } from 'node:fs';
import { mkdir, mkdtemp, open, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { Readable, Writable } from 'node:stream';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HEAD_BYTES, inspectHead } from '../pipeline/csv-inspect.ts';
import type { ModelFile } from '../pipeline/dag.ts';
import type { SourceInput } from '../pipeline/ingest.ts';
import { countRecords, lineMapText } from '../pipeline/record-lines.ts';
import { SLICE_RECORDS } from '../pipeline/slices.ts';
import { fileSlices, registeredFileSlices } from './node-slices.ts';
import { toUtf8Stream } from '../pipeline/transcode.ts';
import { INPUT_DIR, type WasmEngine } from '../duckdb/wasm-engine.ts';
import type { PartStore } from '../formats/csv-sink.ts';
import { FormatError } from '../formats/format-error.ts';
import { isClutter, keepRecognised, sourceFormat, sourceParts, type SourcePart } from '../formats/source-file.ts';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Every `.sql` file under `models/`, with paths like `models/gold/fact_sales.sql`. */
export async function loadModelFiles(root = REPO_ROOT): Promise<ModelFile[]> {
  const files = await listFiles(path.join(root, 'models'), (f) => f.endsWith('.sql'));
  return Promise.all(
    files.sort().map(async (f) => ({ path: path.relative(root, f).split(path.sep).join('/'), sql: await readFile(f, 'utf8') })),
  );
}

export async function listFiles(dir: string, keep: (file: string) => boolean): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(full, keep)));
    else if (keep(full)) out.push(full);
  }
  return out;
}

/** Expands directories into the files the pipeline reads (CSV/TSV/TXT, .xlsx, .parquet, .zip). */
export async function expandInputs(args: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const arg of args) {
    const s = await stat(arg);
    const readable = (f: string) => sourceFormat(f) !== undefined && !isClutter(path.basename(f));
    if (s.isDirectory()) files.push(...(await listFiles(arg, readable)).sort());
    else files.push(arg);
  }
  return files.map((f) => path.resolve(f));
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Inspects a file on disk; DuckDB-WASM in Node reads the absolute path directly. A file of more
 * than `sliceRecords` records is also cut into slices (0: never).
 */
export async function inspectPath(file: string, displayName = path.basename(file), sliceRecords = SLICE_RECORDS): Promise<SourceInput> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const head = new Uint8Array(Math.min(size, HEAD_BYTES));
    await handle.read(head, 0, head.length, 0);
    const inspection = inspectHead(displayName, size, head);
    const readable = inspection.encoding === 'utf-8' ? file : await transcodedCopy(file, inspection.encoding);
    const stream = Readable.toWeb(createReadStream(readable)) as ReadableStream<Uint8Array>;
    const { dataRows, lines, cuts } = await countRecords(stream, inspection.problem ? 0 : sliceRecords);
    const input: SourceInput = { inspection, path: readable, sha256: await sha256File(file) };
    if (lines) {
      input.lineMapPath = `${readable}.lines.csv`;
      if (readable === file) input.lineMapPath = path.join(await mkdtemp(path.join(os.tmpdir(), 'retail-lines-')), 'lines.csv');
      await writeFile(input.lineMapPath, lineMapText(lines));
    }
    if (cuts.length) input.slices = fileSlices(readable, (await stat(readable)).size, dataRows, lines, cuts, await scratchDir());
    return input;
  } finally {
    await handle.close();
  }
}

let registered = 0;

/**
 * Registers each input's file (and its line map) with the engine under a plain generated name,
 * `inputs/input_N.csv`, and returns the inputs that read them, as the browser does: DuckDB reads
 * `*`, `?`, `[` and, in Node, `(` in a path as a glob pattern, so `cust_info (1).csv` could not
 * be read by its own name (and `a*.csv` would read every match).
 */
export function registerInputFiles(engine: WasmEngine, inputs: SourceInput[]): SourceInput[] {
  const register = (file: string, name: string) => {
    engine.db.registerFileURL(name, file, DuckDBDataProtocol.NODE_FS, false);
    return name;
  };
  return inputs.map((input) => {
    // Under INPUT_DIR: the only place the locked engine reads (src/duckdb/wasm-engine.ts).
    const name = `${INPUT_DIR}input_${++registered}.csv`;
    const { slices } = input;
    return {
      ...input,
      path: register(input.path, name),
      lineMapPath: input.lineMapPath && register(input.lineMapPath, `${name}.lines.csv`),
      slices: slices && registeredFileSlices(engine, slices, name),
    };
  });
}

/** A fresh folder, `…/inputs/`, for links to the inputs: the only folder the locked native engine reads. */
export interface InputLinkFolder {
  dir: string;
  /** Deletes the folder and its links (never the files they point to). */
  remove: () => Promise<void>;
}

export async function makeInputLinkFolder(): Promise<InputLinkFolder> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'retail-inputs-'));
  const dir = path.join(root, 'inputs');
  if (/[*?[\]{}()]/.test(dir)) throw new Error(`the temporary folder ${dir} has characters DuckDB reads as a pattern; set TMPDIR to a plain folder`);
  await mkdir(dir);
  return { dir, remove: () => rm(root, { recursive: true, force: true }) };
}

/**
 * Native DuckDB reads paths from the file system, so each input (and its line map) gets a
 * link with a plain generated name in the folder, `…/inputs/input_N.csv`, for the same
 * reason as `registerInputFiles`.
 */
export async function linkInputFiles(inputs: SourceInput[], folder?: InputLinkFolder): Promise<{ inputs: SourceInput[]; remove: () => Promise<void> }> {
  const { dir, remove } = folder ?? (await makeInputLinkFolder());
  const link = async (file: string, name: string) => {
    await symlink(path.resolve(file), path.join(dir, name));
    return path.join(dir, name);
  };
  const linked: SourceInput[] = [];
  for (const input of inputs) {
    const name = `input_${++registered}.csv`;
    linked.push({
      ...input,
      path: await link(input.path, name),
      lineMapPath: input.lineMapPath && (await link(input.lineMapPath, `${name}.lines.csv`)),
      // Native DuckDB spills and has no 4 GiB heap: it reads each file whole, in parallel.
      slices: undefined,
    });
  }
  return { inputs: linked, remove };
}

/** Writes a UTF-8 copy of a Windows-1252 or UTF-16 file to a temporary folder. */
async function transcodedCopy(file: string, encoding: Parameters<typeof toUtf8Stream>[1]): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'retail-utf8-'));
  const target = path.join(dir, path.basename(file));
  const source = Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>;
  await toUtf8Stream(source, encoding).pipeTo(Writable.toWeb(createWriteStream(target)));
  return target;
}

let scratch: Promise<string> | undefined;

/** One temporary folder per process for converted parts, removed when the process ends. */
function scratchDir(): Promise<string> {
  scratch ??= mkdtemp(path.join(os.tmpdir(), 'retail-parts-')).then((dir) => {
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    return dir;
  });
  return scratch;
}

let partCounter = 0;

/** Converted parts as temporary files. */
const fileStore: PartStore<string> = {
  sink() {
    const target = scratchDir().then((dir) => path.join(dir, `part_${++partCounter}`));
    const handle = target.then((t) => open(t, 'w'));
    return {
      async write(chunk) {
        await (await handle).write(chunk);
      },
      async finish() {
        await (await handle).close();
        return target;
      },
    };
  },
  blob: (file) => openAsBlob(file),
};

/** A converted sheet or Parquet table: already UTF-8 CSV, with its rows and lines. */
async function tableInput(part: SourcePart<string>, sha256: string): Promise<SourceInput> {
  const handle = await open(part.made, 'r');
  try {
    const { size } = await handle.stat();
    const head = new Uint8Array(Math.min(size, HEAD_BYTES));
    await handle.read(head, 0, head.length, 0);
    const input: SourceInput = { inspection: inspectHead(part.name, size, head), path: part.made, sha256 };
    if (part.lines) {
      input.lineMapPath = `${part.made}.lines.csv`;
      await writeFile(input.lineMapPath, lineMapText(part.lines));
    }
    return input;
  } finally {
    await handle.close();
  }
}

/**
 * Inspects each file as the app does: a CSV file is one input; a workbook, Parquet file or
 * archive gives one input per sheet or entry (those matching no source left out, with a note);
 * a file that cannot be read gives one input whose problem says why.
 */
export async function inspectPaths(
  files: string[], onNote: (note: string) => void = () => undefined, sliceRecords = SLICE_RECORDS,
): Promise<SourceInput[]> {
  const out: SourceInput[] = [];
  for (const file of files) {
    const name = path.basename(file);
    const format = sourceFormat(name);
    if (format === 'csv' || !format) {
      out.push(await inspectPath(file, name, sliceRecords));
      continue;
    }
    const sha256 = await sha256File(file);
    try {
      const converted = await sourceParts(name, await openAsBlob(file), fileStore);
      const parts = await Promise.all(converted.parts.map(async (p) => (p.kind === 'table' ? tableInput(p, sha256) : { ...(await inspectPath(p.made, p.name, sliceRecords)), sha256 })));
      const { kept, notes, problem } = keepRecognised(name, parts);
      [...converted.notes, ...notes].forEach(onNote);
      out.push(...(problem ? [refusedInput(file, name, problem)] : kept));
    } catch (e) {
      if (!(e instanceof FormatError)) throw e;
      out.push(refusedInput(file, name, e.message));
    }
  }
  return out;
}

/** A file that cannot be used at all: its problem stops the run, as a bad CSV file's does. */
function refusedInput(file: string, name: string, problem: string): SourceInput {
  return { inspection: { name, size: 0, encoding: 'utf-8', hasBom: false, delimiter: ',', header: [], columns: [], problem }, path: file };
}
