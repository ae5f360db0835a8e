/**
 * Real exports come in many dialects and encodings; each must give exactly the
 * gold results of the clean file.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { sampleFiles, sampleFileText } from '../../src/sample-data/generator.ts';
import type { SourceId } from '../../src/pipeline/sources.ts';
import { otherCase, parseCsv, reshuffle, utf16le, utf8WithBom, windows1252, writeCsv, type Dialect } from '../fixtures/dialects.ts';
import { rows, runOnTexts } from '../helpers/pipeline.ts';

type Texts = Record<SourceId, string>;

/** Every file of `texts` written again in a dialect. */
const rewritten = (texts: Texts, dialect: Dialect): Texts =>
  Object.fromEntries(Object.entries(texts).map(([k, v]) => [k, writeCsv(parseCsv(v), dialect)])) as Texts;

/** A fingerprint of every result table: row count and an order-independent hash. */
async function fingerprint(): Promise<Record<string, unknown>[]> {
  const tables = ['gold.dim_customers', 'gold.dim_products', 'gold.fact_sales', 'kpi.overview', 'segmentation.customer_segments'];
  const out: Record<string, unknown>[] = [];
  for (const t of tables) out.push(...(await rows(`select '${t}' as t, count(*)::integer as n, sum(hash(columns(*)))::varchar as h from ${t}`)));
  return out;
}

let clean: Texts;
let expected: Record<string, unknown>[];

beforeAll(async () => {
  clean = Object.fromEntries(sampleFiles({ scale: 0.05 }).map((f) => [f.source, sampleFileText(f)])) as Texts;
  // Characters that break under a wrong encoding, and a value with a comma, a quote and a newline.
  clean.crm_cust_info = clean.crm_cust_info.replace(/\n(\d+),(AW\d+),[^,]*,[^,]*,/, '\n$1,$2,José,"Müller, ""Ünal""\nJr.",');
  clean.erp_px_cat_g1v2 = clean.erp_px_cat_g1v2.replace('Road Bikes', 'Road Bikes €');
  const { report } = await runOnTexts(clean);
  expect(report.error).toBeUndefined();
  expected = await fingerprint();
});

async function expectSameGold(texts: Partial<Record<SourceId, string | Uint8Array>>) {
  const { report } = await runOnTexts({ ...clean, ...texts });
  expect(report.error).toBeUndefined();
  expect(report.state).toBe('success');
  expect(await fingerprint()).toEqual(expected);
}

describe('the same data in other dialects gives the same gold results', () => {
  it('keeps accents, a euro sign and a quoted value with a comma, quotes and a newline', async () => {
    await runOnTexts(clean);
    expect(await rows(`select first_name, last_name from gold.dim_customers where first_name = 'José'`)).toEqual([
      { first_name: 'José', last_name: 'Müller, "Ünal"\nJr.' },
    ]);
    expect(await rows(`select distinct subcategory from gold.dim_products where subcategory like '%€'`)).toEqual([{ subcategory: 'Road Bikes €' }]);
  });

  for (const [name, delimiter] of [['semicolon', ';'], ['tab', '\t'], ['pipe', '|']] as const) {
    it(`reads ${name}-delimited files`, async () => {
      const texts = rewritten(clean, { delimiter, eol: '\n' });
      expect(texts.crm_cust_info.split('\n')[0]).toContain(delimiter);
      await expectSameGold(texts);
    });
  }

  it('reads CRLF line endings', async () => {
    await expectSameGold(rewritten(clean, { eol: '\r\n' }));
  });

  it('reads a UTF-8 byte order mark', async () => {
    await expectSameGold(Object.fromEntries(Object.entries(clean).map(([k, v]) => [k, utf8WithBom(v)])));
  });

  it('decodes Windows-1252 files', async () => {
    await expectSameGold({ crm_cust_info: windows1252(clean.crm_cust_info), erp_px_cat_g1v2: windows1252(clean.erp_px_cat_g1v2) });
  });

  it('decodes UTF-16 files with a byte order mark', async () => {
    await expectSameGold({ crm_cust_info: utf16le(clean.crm_cust_info), crm_sales_details: utf16le(clean.crm_sales_details) });
  });

  it('reads headers in another case, with spaces, in another order, with extra columns', async () => {
    const extra = { name: 'Extra Notes', value: 'kept' };
    const texts = Object.fromEntries(Object.entries(clean).map(([k, v]) => [k, writeCsv(reshuffle(parseCsv(v), otherCase, extra), { eol: '\n' })]));
    expect(texts.erp_loc_a101.split('\n')[0]).toBe('Extra Notes, Cntry , Cid ');
    expect(texts.crm_cust_info.split('\n')[0]).toMatch(/^Extra Notes, CST_CREATE_DATE ,/);
    await expectSameGold(texts);
    expect(await rows(`select distinct "extra notes" as extra from bronze.crm_sales_details`)).toEqual([{ extra: 'kept' }]);
  });
});
