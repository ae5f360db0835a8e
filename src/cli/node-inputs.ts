/** Node side of file handling: model files from disk, input files inspected from disk. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HEAD_BYTES, inspectHead } from '../pipeline/csv-inspect.ts';
import type { ModelFile } from '../pipeline/dag.ts';
import type { SourceInput } from '../pipeline/ingest.ts';

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
    return { inspection: inspectHead(displayName, size, head), path: file, sha256: await sha256File(file) };
  } finally {
    await handle.close();
  }
}
