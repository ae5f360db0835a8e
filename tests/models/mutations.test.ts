/**
 * Property: random byte mutations of a valid file never crash the pipeline; a run
 * either succeeds or fails with a clear message, and a failure leaves the
 * previous results untouched.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { sampleFiles, sampleFileText } from '../../src/sample-data/generator.ts';
import type { SourceId } from '../../src/pipeline/sources.ts';
import { rows, runOnTexts } from '../helpers/pipeline.ts';

const clean = Object.fromEntries(
  sampleFiles({ scale: 0.01 }).map((f) => [f.source, new TextEncoder().encode(sampleFileText(f))]),
) as Record<SourceId, Uint8Array>;
const targets: SourceId[] = ['crm_sales_details', 'crm_cust_info', 'crm_prd_info', 'erp_loc_a101'];

type Mutation = { kind: 'set' | 'insert' | 'delete'; at: number; byte: number };

function mutate(bytes: Uint8Array, mutations: Mutation[]): Uint8Array {
  const out = [...bytes];
  for (const m of mutations) {
    const at = out.length ? m.at % out.length : 0;
    if (m.kind === 'set' && out.length) out[at] = m.byte;
    else if (m.kind === 'insert') out.splice(at, 0, m.byte);
    else if (m.kind === 'delete') out.splice(at, 1);
  }
  return Uint8Array.from(out);
}

const mutationArb = fc.record({
  kind: fc.constantFrom<Mutation['kind']>('set', 'insert', 'delete'),
  at: fc.nat(),
  // bytes that matter to a CSV parser, plus anything at all
  byte: fc.oneof(fc.constantFrom(0x2c, 0x22, 0x0a, 0x0d, 0x3b, 0x00, 0xff, 0xc3), fc.integer({ min: 0, max: 255 })),
});

let lastGood: Record<string, unknown>[];

beforeAll(async () => {
  const { report } = await runOnTexts(clean);
  expect(report.state).toBe('success');
  lastGood = await rows('select * from kpi.overview');
});

describe('random byte mutations of valid files', () => {
  it('give a clean result or a clear error, never a crash, and keep the last good results on failure', async () => {
    let failures = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...targets), fc.array(mutationArb, { minLength: 1, maxLength: 8 }), async (source, mutations) => {
        const { report } = await runOnTexts({ ...clean, [source]: mutate(clean[source], mutations) });
        expect(['success', 'failed']).toContain(report.state);
        if (report.state === 'failed') {
          failures++;
          if (process.env.SHOW_ERRORS) console.log(report.error);
          expect(report.error).toBeTruthy();
          expect(report.error).not.toMatch(/unexpected error|\n\s+at |RuntimeError|undefined/);
          expect(await rows('select * from kpi.overview')).toEqual(lastGood);
        } else {
          // a mutation that still parses becomes the new last good result
          lastGood = await rows('select * from kpi.overview');
        }
      }),
      { numRuns: 40, seed: 20261126 },
    );
    // the mutations are aggressive enough to hit the error paths
    expect(failures).toBeGreaterThan(0);
  });
});
