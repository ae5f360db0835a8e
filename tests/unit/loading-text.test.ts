/** The words the engine badge and the Dashboards page use while saved results load and the dashboards are prepared. */
import { describe, expect, it } from 'vitest';
import { buildingText, restoreText } from '../../src/lib/loading-text.ts';

describe('loading texts', () => {
  it('say how far a restore is, in whole percent (100 only when every row is in) and in rows', () => {
    expect(restoreText({ done: 0, total: 6_039_800 }, true)).toBe('saved results 0 %');
    expect(restoreText({ done: 6_039_799, total: 6_039_800 }, true)).toBe('saved results 99 %');
    expect(restoreText({ done: 2_000_000, total: 6_039_800 })).toBe('Loading the saved results into the engine: 33 % of 6,039,800 rows.');
    expect(restoreText({ done: 0, total: 0 }, true)).toBe('saved results 100 %');
  });

  it("say which step of the dashboards' build is done", () => {
    expect(buildingText({ done: 12, total: 41 })).toBe('Preparing the dashboards for these results: step 12 of 41. This is done once per results.');
  });
});
