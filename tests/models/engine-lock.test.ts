/**
 * The engine is locked after start-up, as in the app and the command line: SQL reaches
 * no URL and no file but the registered inputs, from the console, from a model check or
 * from a re-run, and no setting can be changed back. The pipeline itself still runs.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelFile } from '../../src/pipeline/dag.ts';
import { rerunFrom } from '../../src/pipeline/rerun.ts';
import type { RunReport } from '../../src/pipeline/types.ts';
import { runConsole } from '../../src/workers/console/console-exec.ts';
import { modelProblems } from '../../src/workers/models/model-guard.ts';
import type { WasmEngine } from '../../src/duckdb/wasm-engine.ts';
import { runOnTexts, shippedModels } from '../helpers/pipeline.ts';

const REFUSED = /disabled by configuration|Permission Error/;
/** Reads that must never leave the engine: a URL two ways, files that were never registered. */
const READS = [
  "select * from read_csv('https://example.com/data.csv')",
  "from 'https://example.com/data.csv'",
  "select content from read_text('/etc/passwd')",
  "select * from read_csv('inputs/../../../etc/passwd')",
  "select * from glob('/*')",
];

let engine: WasmEngine;
let shipped: ModelFile[];
let full: RunReport;

beforeAll(async () => {
  shipped = await shippedModels();
  ({ engine, report: full } = await runOnTexts({}));
  expect(full.state, full.error).toBe('success');
});

describe('the locked engine', () => {
  it('runs the pipeline on registered inputs, and keeps its settings locked', async () => {
    expect(await engine.query(`select current_setting('enable_external_access') as external, current_setting('lock_configuration') as locked`))
      .toEqual([{ external: false, locked: true }]);
    // DuckDB's own limit: 3.7 GiB (MEMORY_SETTINGS; DuckDB prints it rounded down), below the wasm heap's 4, above its default 3.1
    expect(await engine.query(`select current_setting('memory_limit') as memory_limit`)).toEqual([{ memory_limit: '3.6 GiB' }]);
    for (const sql of ['set enable_external_access = true', 'set lock_configuration = false', "set allowed_directories = ['/']", 'reset enable_external_access', "set memory_limit = '1GiB'"]) {
      await expect(engine.exec(sql), sql).rejects.toThrow(/configuration has been locked/);
    }
  });

  it('the console reads no URL and no unregistered file', async () => {
    for (const sql of READS) {
      const outcome = await runConsole(engine, { text: sql, maxRows: 100 });
      expect(outcome.kind, sql).toBe('error');
      if (outcome.kind === 'error') expect(outcome.message, sql).toMatch(REFUSED);
    }
  });

  it('a model that reads a URL or a file is refused by its check', async () => {
    for (const read of READS.slice(0, 3)) {
      const sql = `-- grain: one row per line\n${read}`;
      const problems = await modelProblems(engine, shipped, 'models/kpi/leak.sql', sql, []);
      expect(problems.map((p) => p.message).join('; '), read).toMatch(REFUSED);
    }
  });

  it('a re-run cannot read one either, even past every check', async () => {
    for (const read of READS.slice(0, 3)) {
      const models = [...shipped, { path: 'models/kpi/leak.sql', sql: `-- grain: one row per line\n${read}` }];
      const report = await rerunFrom({ engine, models, from: ['kpi.leak'], previous: full });
      expect(report.state, read).toBe('failed');
      expect(report.error, read).toMatch(REFUSED);
    }
  });
});
