/**
 * Whether a statement prepared ahead (src/workers/dashboards/prepare-ahead.ts) executes as fast as
 * one prepared right before it runs: per page and kind of step, the execution of the click's
 * statement prepared afresh (sql − prepare), prepared ahead (sql; prepare is 0), and the same kept
 * statement run once more with its answers forgotten. Medians of 7, printed as JSON lines. Not a
 * test: npx vitest run --config bench/vitest.probe.config.ts bench/ahead-exec.probe.ts (PROBE_DATA=<dir>).
 */
import path from 'node:path';
import { expect, it, vi } from 'vitest';
import { expandInputs, inspectPath, registerInputFiles, REPO_ROOT } from '../src/cli/node-inputs.ts';
import { runPipeline } from '../src/pipeline/runner.ts';
import { shippedModels, testEngine } from '../tests/helpers/pipeline.ts';
import { ensureBase } from '../src/workers/dashboards/base.ts';
import { forgetAnswers } from '../src/workers/dashboards/cache.ts';
import { queryPage } from '../src/workers/dashboards/pages.ts';
import { closeStatements } from '../src/workers/dashboards/statements.ts';
vi.mock('../src/duckdb/wasm-browser.ts', () => ({ openBrowserEngine: async () => ({}) }));
const { prepareAhead } = await import('../src/workers/dashboards/prepare-ahead.ts');

const DATA = process.env.PROBE_DATA ?? path.resolve(REPO_ROOT, '../shared/datasets/retail-dw');
const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
it('execution after preparing ahead, against preparing afresh', { timeout: 3_600_000 }, async () => {
  const e = await testEngine();
  const inputs = registerInputFiles(e, await Promise.all((await expandInputs([DATA])).map((f) => inspectPath(f))));
  const r = await runPipeline({ engine: e, models: await shippedModels(), inputs, runDate: '2026-11-26' });
  expect(r.state).toBe('success');
  await ensureBase(e);
  const pages = ['executive', 'customers'] as const;
  const steps = [{ values: { country: ['Germany'], category: ['Clothing'] } }, { from: '2012-06-20', values: { country: ['Germany'] } }, { values: { country: ['Germany'], gender: ['Female'] } }];
  for (const page of pages) for (const s of steps) {
    const fresh: number[] = []; const ahead: number[] = []; const freshPrep: number[] = []; const second: number[] = [];
    for (let k = 0; k < 7; k++) {
      for (const mode of ['fresh', 'ahead'] as const) {
        closeStatements(e); forgetAnswers(e);
        const req0 = { page, filters: { values: { country: ['Germany'] } }, grain: 'month' as const };
        await queryPage(e, req0);
        if (mode === 'ahead') await new Promise((res) => prepareAhead(e, req0, res));
        const d = await queryPage(e, { ...req0, filters: s });
        if (mode === 'fresh') { fresh.push(d.timing!.sqlMs - d.timing!.prepareMs); freshPrep.push(d.timing!.prepareMs); }
        else { expect(d.timing!.prepareMs).toBe(0); ahead.push(d.timing!.sqlMs); }
        forgetAnswers(e);
        const again = await queryPage(e, { ...req0, filters: s });
        second.push(again.timing!.sqlMs);
      }
    }
    console.log(JSON.stringify({ page, s: JSON.stringify(s), freshExec: med(fresh), freshPrep: med(freshPrep), aheadExec: med(ahead), secondExec: med(second) }));
  }
});
