/** Node side of file handling: model files from disk, input files inspected from disk and registered with the engine. */
import { DuckDBDataProtocol } from '@duckdb/duckdb-wasm/blocking';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, open, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { Readable, Writable } from 'node:stream';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HEAD_BYTES, inspectHead } from '../pipeline/csv-inspect.ts';
import type { ModelFile } from '../pipeline/dag.ts';
import type { SourceInput } from '../pipeline/ingest.ts';
import { countRecords, lineMapText } from '../pipeline/record-lines.ts';
import { toUtf8Stream } from '../pipeline/transcode.ts';
import { INPUT_DIR, type WasmEngine } from '../duckdb/wasm-engine.ts';

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

/** Expands directories into their CSV/TSV/TXT files. */
export async function expandInputs(args: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const arg of args) {
    const s = await stat(arg);
    if (s.isDirectory()) files.push(...(await listFiles(arg, (f) => /\.(csv|tsv|txt)$/i.test(f))).sort());
    else files.push(arg);
  }
  return files.map((f) => path.resolve(f));
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Inspects a file on disk; DuckDB-WASM in Node reads the absolute path directly. */
export async function inspectPath(file: string, displayName = path.basename(file)): Promise<SourceInput> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const head = new Uint8Array(Math.min(size, HEAD_BYTES));
    await handle.read(head, 0, head.length, 0);
    const inspection = inspectHead(displayName, size, head);
    const readable = inspection.encoding === 'utf-8' ? file : await transcodedCopy(file, inspection.encoding);
    const { lines } = await countRecords(Readable.toWeb(createReadStream(readable)) as ReadableStream<Uint8Array>);
    const input: SourceInput = { inspection, path: readable, sha256: await sha256File(file) };
    if (lines) {
      input.lineMapPath = `${readable}.lines.csv`;
      if (readable === file) input.lineMapPath = path.join(await mkdtemp(path.join(os.tmpdir(), 'retail-lines-')), 'lines.csv');
      await writeFile(input.lineMapPath, lineMapText(lines));
    }
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
    return {
      ...input,
      path: register(input.path, name),
      lineMapPath: input.lineMapPath && register(input.lineMapPath, `${name}.lines.csv`),
    };
  });
}

/** Writes a UTF-8 copy of a Windows-1252 or UTF-16 file to a temporary folder. */
async function transcodedCopy(file: string, encoding: Parameters<typeof toUtf8Stream>[1]): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'retail-utf8-'));
  const target = path.join(dir, path.basename(file));
  const source = Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>;
  await toUtf8Stream(source, encoding).pipeTo(Writable.toWeb(createWriteStream(target)));
  return target;
}
