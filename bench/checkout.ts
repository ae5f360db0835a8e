/**
 * Another revision of this repository, checked out beside it (`git worktree add` into a
 * temporary folder, `node_modules` linked to this checkout's), so the benchmark and the
 * output comparison can run its command line next to the working tree's.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const HEAD = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function git(args: string[], cwd = HEAD): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** A file as it is at `rev` (untrimmed), or undefined where the revision has no such file. */
export function fileAt(rev: string, file: string): string | undefined {
  try {
    return execFileSync('git', ['show', `${rev}:${file}`], { cwd: HEAD, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
}

/** A model's id from its file's path: `models/silver/crm_cust_info.sql` → `silver.crm_cust_info`. */
export function modelIdOf(file: string): string {
  return file.replace(/^models\//, '').replace(/\.sql$/, '').replace('/', '.');
}

export interface Checkout {
  rev: string;
  root: string;
  remove(): Promise<void>;
}

export async function checkoutRevision(rev: string): Promise<Checkout> {
  const full = git(['rev-parse', '--verify', `${rev}^{commit}`]);
  const work = await mkdtemp(path.join(tmpdir(), `rev-${full.slice(0, 8)}-`));
  const root = path.join(work, 'tree');
  git(['worktree', 'add', '--detach', root, full]);
  await symlink(path.join(HEAD, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  return {
    rev: full,
    root,
    remove: async () => {
      git(['worktree', 'remove', '--force', root]);
      await rm(work, { recursive: true, force: true });
    },
  };
}

/** A checkout's command line (from its package.json, so moved files are followed) and its WasmEngine module. */
export async function entryPoints(root: string): Promise<{ cli: string; engineModule: string; engineArgs: string[] }> {
  const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const cli = /tsx\s+(\S+)/.exec(pkg.scripts.pipeline ?? '')?.[1];
  if (!cli) throw new Error(`${root}: package.json has no "pipeline": "tsx <file>" script`);
  const found = git(['grep', '-l', 'export class WasmEngine', '--', 'src'], root).split('\n').filter(Boolean);
  if (found.length !== 1) throw new Error(`${root}: expected one file exporting WasmEngine, found ${found.length}`);
  // Since native DuckDB became the command line's default, `--engine wasm` keeps this the wasm
  // command line; older revisions have no such flag and only the wasm engine.
  const chooses = /--engine native\|wasm/.test(await readFile(path.join(root, cli), 'utf8'));
  return { cli: path.join(root, cli), engineModule: path.join(root, found[0]), engineArgs: chooses ? ['--engine', 'wasm'] : [] };
}
