/**
 * The command line's engine options and messages: --engine/--threads/--memory/--temp-dir
 * parsed and refused in words, a share of memory turned into DuckDB's setting, and
 * out-of-memory, disk-full and internal errors explained with what to do (a real run out
 * of memory below; a full disk only by its error text). The native engine is locked as
 * DuckDB-WASM is: no URL, no file but the linked inputs, no setting changed back.
 */
import { execFile } from 'node:child_process';
import { access, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { expandInputs, inspectPath, REPO_ROOT } from '../../src/cli/node-inputs.ts';
import { availableMemoryBytes, DEFAULT_ENGINE, explainNative, memoryLimitSetting, openCliEngine, parseEngineArgs } from '../../src/cli/engine-choice.ts';
import { safeThreadCount } from '../../src/duckdb/native-threads.ts';

const run = promisify(execFile);
const REAL = path.resolve(REPO_ROOT, '../shared/datasets/retail-dw');
const cli = (args: string[]) => run('node', ['--import', 'tsx', 'src/cli/pipeline.ts', ...args], { cwd: REPO_ROOT, timeout: 120_000 });

describe('engine options', () => {
  it('default to native with 75 % of the memory, and take threads, a memory size and a spill folder', () => {
    expect(DEFAULT_ENGINE).toBe('native');
    expect(parseEngineArgs({})).toEqual({ engine: 'native', threads: undefined, memory: '75%', tempDir: undefined });
    expect(parseEngineArgs({ engine: 'native', threads: '1', memory: '20GB', 'temp-dir': '/big' }))
      .toEqual({ engine: 'native', threads: 1, memory: '20GB', tempDir: '/big' });
    expect(parseEngineArgs({ engine: 'wasm' })).toMatchObject({ engine: 'wasm' });
  });

  it('are refused in words when wrong', () => {
    expect(parseEngineArgs({ engine: 'spark' })).toBe('--engine must be native or wasm');
    expect(parseEngineArgs({ threads: '0' })).toMatch(/--threads must be a whole number/);
    expect(parseEngineArgs({ memory: 'lots' })).toMatch(/--memory must be/);
    expect(parseEngineArgs({ engine: 'wasm', threads: '2' })).toMatch(/apply to --engine native only/);
  });

  it('turn a share of memory into MiB of this machine (or container)', async () => {
    const total = await availableMemoryBytes();
    expect(await memoryLimitSetting('50%')).toBe(`${Math.floor(total / 2 / 2 ** 20)}MiB`);
    expect(await memoryLimitSetting('512MiB')).toBe('512MiB');
  });

  it('explain running out of memory or disk, and DuckDB internal errors, with what to do', () => {
    const oom = explainNative('Out of Memory Error: could not allocate block of size 256.0 KiB\n\nPossible solutions: …', '1.0 GiB', '/spill');
    expect(oom).toMatch(/^Out of Memory Error: could not allocate block of size 256\.0 KiB — DuckDB reached its memory limit \(1\.0 GiB\)/);
    expect(oom).toContain('--memory 90%');
    expect(oom).not.toContain('Possible solutions');
    expect(explainNative('IO Error: Could not write file "/spill/x.tmp": No space left on device', '1 GiB', '/spill'))
      .toMatch(/the disk is full: .*--temp-dir.*--out.*spill folder: \/spill/);
    expect(explainNative("Out of Memory Error: failed to offload data block (max_temp_directory_size)", '1 GiB', '/spill')).toMatch(/the disk is full/);
    expect(explainNative('INTERNAL Error: Attempted to dereference unique_ptr that is NULL!', '1 GiB', '/spill')).toMatch(/allow more memory/);
    expect(explainNative('Binder Error: column x not found', '1 GiB', '/spill')).toBe('Binder Error: column x not found');
  });
});

describe('npm run pipeline, native engine', () => {
  it('out of memory: exits 1 with one line saying what to do, and keeps run.json', async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), 'rw-oom-'));
    const err = await cli(['--input', REAL, '--out', out, '--engine', 'native', '--memory', '20MB']).catch((e) => e);
    expect(err.code).toBe(1);
    const lines = err.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^pipeline: .*Out of Memory Error: .* — DuckDB reached its memory limit .*--memory 90%/);
    expect(JSON.parse(await readFile(path.join(out, 'run.json'), 'utf8')).state).toBe('failed');
    expect(await readdir(out)).toEqual(['run.json']);
  });

  it('clears what a crashed run left in its own spill folder, and removes the folder after', async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), 'rw-spill-'));
    await mkdir(path.join(out, '.duckdb-spill'));
    await writeFile(path.join(out, '.duckdb-spill', 'duckdb_temp_storage_S32K-0.tmp'), 'left by a crash');
    const cliEngine = await openCliEngine({ engine: 'native', threads: 1, memory: '1GB' }, out);
    expect(await readdir(path.join(out, '.duckdb-spill'))).toEqual([]);
    await cliEngine.close();
    expect(await readdir(out)).toEqual([]);
  });

  it('exits 2 on engine options that do not fit', async () => {
    for (const args of [['--engine', 'wasm', '--threads', '2'], ['--engine', 'duck'], ['--memory', 'much']]) {
      const err = await cli(['--input', REAL, '--out', os.tmpdir(), ...args]).catch((e) => e);
      expect(err.code, args.join(' ')).toBe(2);
    }
  });

  it('writes the dbt project alone with --dbt-project', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rw-dbt-'));
    const { stdout } = await cli(['--dbt-project', dir, '--run-date', '2026-02-01']);
    expect(stdout).toMatch(/^dbt project: \d+ files in /);
    expect((await readdir(dir)).sort()).toEqual(['README.md', 'dbt_project.yml', 'macros', 'models', 'profiles.yml', 'tests']);
    expect(await readFile(path.join(dir, 'dbt_project.yml'), 'utf8')).toContain('run_date: "2026-02-01"');
  });
});

describe('the native thread count', () => {
  it('is one per core or as asked, but never two (DuckDB 1.4.3 miscounts spilled aggregates on exactly two)', () => {
    expect(safeThreadCount(undefined, 8)).toBe(8);
    expect(safeThreadCount(undefined, 1)).toBe(1);
    expect(safeThreadCount(undefined, 2)).toBe(3);
    expect(safeThreadCount(2, 16)).toBe(3);
    expect(safeThreadCount(1, 2)).toBe(1);
    expect(safeThreadCount(4, 2)).toBe(4);
  });
});

describe('the native engine of the command line', () => {
  it('is locked like DuckDB-WASM: it reads the linked inputs, no URL, no other file, and keeps its settings', async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), 'rw-lock-'));
    const spill = path.join(out, 'spill');
    const cliEngine = await openCliEngine({ engine: 'native', threads: 2, memory: '1GB', tempDir: spill }, out);
    const { engine } = cliEngine;
    let linked: string | undefined;
    try {
      expect(cliEngine.summary).toMatch(/native DuckDB, 3 threads \(not 2: DuckDB 1\.4\.3 miscounts .*\), memory limit .* spilling to .*spill$/);
      expect(await engine.query("select current_setting('threads')::integer as threads")).toEqual([{ threads: 3 }]);
      const files = await expandInputs([REAL]);
      const [input] = await cliEngine.register([await inspectPath(files.find((f) => f.endsWith('prd_info.csv'))!)]);
      linked = input.path;
      expect(await engine.query('select count(*)::integer as n from read_csv(?)', [input.path])).toEqual([{ n: 397 }]);
      const settings = "select current_setting('enable_external_access') as external, current_setting('lock_configuration') as locked";
      expect(await engine.query(settings)).toEqual([{ external: false, locked: true }]);
      const refused = [
        "select * from read_csv('https://example.com/data.csv')",
        "select content from read_text('/etc/passwd')",
        `select * from read_csv('${path.dirname(input.path)}/../../../etc/passwd')`,
        `select * from read_csv('${files[0]}')`,
        "select * from glob('/*')",
        `copy (select 1) to '${path.join(out, 'leak.csv')}'`,
      ];
      for (const sql of refused) await expect(engine.exec(sql), sql).rejects.toThrow(/disabled by configuration|Permission Error/);
      for (const sql of ['set enable_external_access = true', "set allowed_directories = ['/']", 'set threads = 1', "set temp_directory = '/tmp'"]) {
        await expect(engine.exec(sql), sql).rejects.toThrow(/configuration has been locked/);
      }
      await expect(engine.execOne('select 1; select 2')).rejects.toThrow();
    } finally {
      await cliEngine.close();
    }
    // The links are gone, the user's spill folder stays.
    await expect(access(String(linked))).rejects.toThrow(/ENOENT/);
    await access(spill);
  });
});
