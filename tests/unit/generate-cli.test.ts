import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, it, expect, afterAll } from 'vitest';
import { SOURCES } from '../../src/pipeline/sources.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const cli = ['--import', 'tsx', 'src/cli/generate.ts'];
const out = mkdtempSync(path.join(tmpdir(), 'generate-cli-'));

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('generate CLI', () => {
  it('writes the six files with their headers and reports each', async () => {
    const { stdout } = await run(process.execPath, [...cli, '--scale', '0.1', '--out', out], { cwd: root });
    for (const source of SOURCES) {
      const file = path.join(out, source.typicalFileName);
      expect(existsSync(file)).toBe(true);
      const header = readFileSync(file, 'utf8').split('\n', 1)[0];
      expect(header.toLowerCase()).toBe(source.columns.join(','));
      expect(stdout).toContain(source.typicalFileName);
    }
    expect(stdout).toMatch(/source_crm\/sales_details\.csv: 6041 lines, \d+ bytes/);
    expect(stdout).toMatch(/total: \d+ bytes in [\d.]+ s/);
  }, 30_000);

  it('exits 2 with a usage line on bad arguments', async () => {
    for (const args of [['--scale', 'big', '--out', out], ['--scale', '1'], ['--scale', '1', '--out', out, '--what']]) {
      const failure = await run(process.execPath, [...cli, ...args], { cwd: root }).then(
        () => undefined,
        (error: { code?: number; stderr?: string }) => error,
      );
      expect(failure?.code).toBe(2);
      expect(failure?.stderr?.trim()).toMatch(/^usage: /);
      expect(failure?.stderr?.trim().split('\n')).toHaveLength(1);
    }
  }, 30_000);
});
