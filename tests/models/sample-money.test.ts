/**
 * Money in cents on generated data: the sample writes part of its prices in cents (19.99), and
 * silver, the contract and rejects.repairs must agree with sales = quantity × price worked out
 * here in whole cents (integers, exact), never in floating point.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { sampleFiles, sampleFileText } from '../../src/sample-data/generator.ts';
import type { SourceId } from '../../src/pipeline/sources.ts';
import type { RunReport } from '../../src/pipeline/types.ts';
import { parseCsv } from '../fixtures/dialects.ts';
import { rows, runOnTexts } from '../helpers/pipeline.ts';

const texts = Object.fromEntries(sampleFiles({ scale: 0.05 }).map((f) => [f.source, sampleFileText(f)])) as Record<SourceId, string>;
const [header, ...lines] = parseCsv(texts.crm_sales_details.trimEnd());
const at = (name: string) => header.indexOf(name);

/** Money as whole cents; the sample writes at most two decimals, so this is exact. */
const cents = (v: string): number | null => (v.trim() === '' ? null : Math.round(Number(v) * 100));

/** Silver's rule, in cents: sales = quantity × |price| when missing, ≤ 0 or not equal to it (needs a price). */
const expected = lines.map((r) => {
  const quantity = Number(r[at('sls_quantity')]);
  const sales = cents(r[at('sls_sales')]);
  const price = cents(r[at('sls_price')]);
  const product = price === null ? null : quantity * Math.abs(price);
  const recomputed = product !== null && (sales === null || sales <= 0 || sales !== product);
  return { sales: recomputed ? product! : sales, recomputed, flagged: sales === null || sales <= 0 || sales !== product };
});

let report: RunReport;

beforeAll(async () => {
  ({ report } = await runOnTexts(texts));
});

describe('prices in cents on the sample data', () => {
  it('the sample has lines of several units at a price in cents, where floating point misses the product', () => {
    const missed = lines.filter((r) => {
      const [sales, quantity, price] = [r[at('sls_sales')], r[at('sls_quantity')], r[at('sls_price')]];
      return /\.\d\d$/.test(price) && cents(sales) === Number(quantity) * cents(price)! && Number(sales) !== Number(quantity) * Number(price);
    });
    expect(missed.length).toBeGreaterThan(0);
  });

  it('silver recomputes exactly the lines the rule says, and keeps the others as written', async () => {
    expect(report.state).toBe('success');
    const silver = await rows('select _source_line, sls_sales from silver.crm_sales_details order by _source_line');
    expect(silver).toHaveLength(lines.length);
    const wrong = silver.filter((s, i) => (s.sls_sales === null ? null : Math.round(Number(s.sls_sales) * 100)) !== expected[i].sales);
    expect(wrong).toEqual([]);
    // the value is the decimal as written (19.99 is the double nearest to 19.99), not a float product
    const inexact = silver.filter((s, i) => expected[i].sales !== null && s.sls_sales !== expected[i].sales! / 100);
    expect(inexact).toEqual([]);
  });

  it('rejects.repairs and the contract count the same lines as the rule worked out here', async () => {
    const recomputed = expected.filter((e) => e.recomputed).length;
    expect(recomputed).toBeGreaterThan(0);
    expect(await rows(`select rows::integer as rows from rejects.repairs
      where model = 'crm_sales_details' and rule = 'sales recomputed as quantity × price'`)).toEqual([{ rows: recomputed }]);
    const finding = report.findings.find((f) => f.check === 'sales_is_quantity_times_price');
    expect(finding?.count).toBe(expected.filter((e) => e.flagged).length);
  });
});
