/**
 * The command line's engine: native DuckDB (every core, a memory limit, spilling to disk)
 * or DuckDB-WASM (the browser's engine: one thread, at most 4 GiB). Both run the same
 * models and write the same files; this module parses the engine options, opens the
 * engine, hands it the input files, and turns out-of-memory and disk-full errors into
 * what to do about them.
 */
import { mkdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { safeThreadCount } from '../duckdb/native-threads.ts';
import type { ExportEngine } from '../duckdb/sql-engine.ts';
import type { SourceInput } from '../pipeline/ingest.ts';
import { linkInputFiles, makeInputLinkFolder, registerInputFiles } from './node-inputs.ts';

export const ENGINES = ['native', 'wasm'] as const;
export type EngineName = (typeof ENGINES)[number];
/** Chosen by measurement (README, docs/scale.md): faster on every scale, and not capped at 4 GiB. */
export const DEFAULT_ENGINE: EngineName = 'native';
export const DEFAULT_MEMORY = '75%';

export interface EngineArgs {
  engine: EngineName;
  /** native only: DuckDB threads (default: one per core; never two, see safeThreadCount). */
  threads?: number;
  /** native only: `75%` of this machine's memory, or an absolute size such as `20GB`. */
  memory: string;
  /** native only: where DuckDB spills (default: a folder in the output folder, removed afterwards). */
  tempDir?: string;
}

/** The engine options from the command line's values, or the reason they are wrong. */
export function parseEngineArgs(values: { engine?: string; threads?: string; memory?: string; 'temp-dir'?: string }): EngineArgs | string {
  const engine = (values.engine ?? DEFAULT_ENGINE) as EngineName;
  if (!ENGINES.includes(engine)) return `--engine must be ${ENGINES.join(' or ')}`;
  const threads = values.threads === undefined ? undefined : Number(values.threads);
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) return '--threads must be a whole number ≥ 1';
  const memory = values.memory ?? DEFAULT_MEMORY;
  if (!/^(\d+(\.\d+)?%|\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB))$/i.test(memory.trim())) {
    return '--memory must be a share of this machine\'s memory (75%) or a size (20GB, 512MiB)';
  }
  const nativeOnly = values.threads !== undefined || values.memory !== undefined || values['temp-dir'] !== undefined;
  if (engine === 'wasm' && nativeOnly) return '--threads, --memory and --temp-dir apply to --engine native only';
  return { engine, threads, memory: memory.trim(), tempDir: values['temp-dir'] };
}

/** The memory this process may use: the machine's, or its container's limit when lower. */
export async function availableMemoryBytes(): Promise<number> {
  const limit = await readFile('/sys/fs/cgroup/memory.max', 'utf8').then(Number, () => NaN);
  return Number.isFinite(limit) && limit > 0 ? Math.min(limit, os.totalmem()) : os.totalmem();
}

/** `75%` as DuckDB's `memory_limit` in MiB; absolute sizes as given. */
export async function memoryLimitSetting(memory: string): Promise<string> {
  const share = /^(\d+(?:\.\d+)?)%$/.exec(memory);
  if (!share) return memory;
  return `${Math.floor((((await availableMemoryBytes()) * Number(share[1])) / 100) / 2 ** 20)}MiB`;
}

export interface CliEngine {
  engine: ExportEngine;
  /** One line: which engine, with which settings. */
  summary: string;
  /** Makes the input files readable by the engine under generated names. */
  register(inputs: SourceInput[]): Promise<SourceInput[]>;
  /** Closes the engine and removes what it left behind (links, spill files). */
  close(): Promise<void>;
  /** Set to 0 where models declared `-- slices:` are built whole (native DuckDB spills instead). */
  modelSliceRows?: number;
  /** An error message with what to do about it, when it is about memory or disk. */
  explain(message: string): string;
}

export async function openCliEngine(args: EngineArgs, outDir: string): Promise<CliEngine> {
  return args.engine === 'native' ? openNative(args, outDir) : openWasm();
}

async function openWasm(): Promise<CliEngine> {
  const { openNodeEngine } = await import('../duckdb/wasm-node.ts');
  const engine = await openNodeEngine();
  return {
    engine,
    summary: 'engine: DuckDB-WASM (one thread, at most 4 GiB, no spilling)',
    register: async (inputs) => registerInputFiles(engine, inputs),
    close: async () => undefined,
    explain: (message) => (/out of memory/i.test(message)
      ? `${message.split('\n')[0]} — DuckDB-WASM cannot use more than 4 GiB: run with --engine native`
      : message),
  };
}

async function openNative(args: EngineArgs, outDir: string): Promise<CliEngine> {
  const { NativeEngine } = await import('../duckdb/native-engine.ts').catch((e: Error) => {
    throw new Error(`native DuckDB is not installed for this platform (${e.message.split('\n')[0]}); run with --engine wasm`);
  });
  const ownSpill = args.tempDir === undefined;
  const tempDirectory = path.resolve(args.tempDir ?? path.join(outDir, '.duckdb-spill'));
  // Our own spill folder may hold what a crashed run left (a crash cleans nothing up).
  if (ownSpill) await rm(tempDirectory, { recursive: true, force: true });
  await mkdir(tempDirectory, { recursive: true });
  const engine = await NativeEngine.open({ threads: args.threads, memoryLimit: await memoryLimitSetting(args.memory), tempDirectory });
  const settings = await engine.settings();
  // Locked before any other SQL, as in the browser: only the links in this folder can be read.
  const inputFolder = await makeInputLinkFolder();
  await engine.lock(inputFolder.dir);
  return {
    engine,
    summary: `engine: native DuckDB, ${settings.threads} thread${settings.threads === 1 ? '' : 's'}${threadsNote(args.threads)}, ` +
      `memory limit ${settings.memoryLimit} (${args.memory}), spilling to ${settings.tempDirectory}`,
    register: async (inputs) => (await linkInputFiles(inputs, inputFolder)).inputs,
    // Like the input files: each slice of gold.fact_sales would build its joins' hash tables again.
    modelSliceRows: 0,
    async close() {
      engine.close();
      await inputFolder.remove();
      if (ownSpill) await rm(tempDirectory, { recursive: true, force: true });
    },
    explain: (message) => explainNative(message, settings.memoryLimit, settings.tempDirectory),
  };
}

/** Why the thread count differs from the one asked for (or from the cores), if it does. */
function threadsNote(requested: number | undefined): string {
  const asked = requested ?? os.availableParallelism();
  return safeThreadCount(asked) === asked ? '' : ` (not ${asked}: DuckDB 1.4.3 miscounts with exactly two, see docs/scale.md)`;
}

/** Out of memory or of disk space on native DuckDB: what happened and what to try. */
export function explainNative(error: string, memoryLimit: string, tempDirectory: string): string {
  const message = error.split('\n')[0];
  if (/no space left on device|ENOSPC|max_temp_directory_size/i.test(message)) {
    return `${message} — the disk is full: free some space, or spill to a disk with more room (--temp-dir <folder>) ` +
      `and write the outputs elsewhere (--out); spill folder: ${tempDirectory}`;
  }
  if (/out of memory/i.test(message)) {
    return `${message} — DuckDB reached its memory limit (${memoryLimit}) and could not spill enough to ${tempDirectory}: ` +
      'allow more memory (--memory 90% or a size such as 20GB), use fewer threads (--threads 1 holds less at once), ' +
      'or spill to a disk with more free space (--temp-dir <folder>)';
  }
  if (/INTERNAL Error/.test(message)) {
    return `${message} — an internal error of DuckDB 1.4.3, seen here when the memory limit (${memoryLimit}) was tight for the data: ` +
      'allow more memory (--memory) or use fewer threads (--threads 1)';
  }
  return error;
}
