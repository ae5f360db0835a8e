/** The README's first command opens the app on `?sample`: the sample data runs with no click. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { readKpis, runError, startHarness, waitForRunState, type Harness } from './harness.ts';

let harness: Harness;

before(async () => {
  harness = await startHarness();
});

after(async () => {
  await harness?.stop();
});

test('?sample loads and runs the built-in sample data on open', { timeout: 150_000 }, async () => {
  const app = await harness.open(undefined, '/?sample');
  const state = await waitForRunState(app.page, ['success', 'failed']);
  assert.equal(state, 'success', `the sample run failed: ${await runError(app.page)}`);
  const kpis = await readKpis(app.page);
  assert.ok(kpis.total_sales > 0 && kpis.total_orders > 0, 'KPIs are shown');
  await harness.close(app);
});
