/**
 * Bronze in slices: a large file cut at record starts and loaded one committed insert per
 * slice gives exactly what a one-piece load gives — every table of the run row for row (lines
 * included), every finding and log line, every CSV error with its line — and a cancel is
 * honoured between slices.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandInputs, inspectPath, registerInputFiles, REPO_ROOT } from '../../src/cli/node-inputs.ts';
import { runPipeline } from '../../src/pipeline/runner.ts';
import { MINIMAL, RUN_DATE, runOnTexts, runSnapshot, shippedModels, testEngine } from '../helpers/pipeline.ts';

const DATASET = path.resolve(REPO_ROOT, '../shared/datasets/retail-dw');

// CRLF, quoted values spanning lines, a blank line, a value with quotes and delimiters.
const LOC = [
  'CID,CNTRY,comment', 'AW-00011000,Australia,plain', 'AW-00011001,DE,"two', 'lines"', '',
  'AW-00011002, US ,"say ""hi"", then, go"', 'AW-00011003,FR,"a', 'b', 'c"', 'AW-00011004,Germany,z',
].join('\r\n') + '\r\n';
// A byte order mark, a blank line and no line break at the end.
const PX_CAT = '\uFEFFID,CAT,SUBCAT,MAINTENANCE\nBI_RB,Bikes,Road Bikes,Yes\n\nBI_MB,Bikes,Mountain Bikes,No\nAC_HE,Accessories,Helmets,No';
const SALES = MINIMAL.crm_sales_details + Array.from({ length: 9 }, (_, i) =>
  `SO${i + 2},BK-R93R-62,11000,201101${String(i + 1).padStart(2, '0')},20110115,20110120,${i === 4 ? '' : 100 * (i + 1)},1,${100 * (i + 1)}\n`).join('');
const MANY_SALES = MINIMAL.crm_sales_details + Array.from({ length: 2000 }, (_, i) =>
  `SO${i + 2},BK-R93R-62,11000,20110101,20110115,20110120,100,1,100\n`).join('');
const TEXTS = { crm_sales_details: SALES, erp_loc_a101: LOC, erp_px_cat_g1v2: PX_CAT };

describe('bronze in slices', () => {
  it.each([1, 2, 3])('slices of %i records: every table, line, finding and log line as in one piece', async (records) => {
    const whole = await runSnapshot((await runOnTexts(TEXTS)).report, { modelLogs: false });
    expect(whole.state).toBe('success');
    expect((whole.content['bronze.erp_loc_a101'] as { _source_line: number }[]).map((r) => r._source_line)).toEqual([2, 3, 6, 7, 10]);
    const sliced = await runSnapshot((await runOnTexts(TEXTS, {}, records)).report, { modelLogs: false });
    expect(sliced).toEqual(whole);
  });

  it('the real export read from disk in slices of 7,000 records (temporary files, registered names) gives the same run', async () => {
    const engine = await testEngine();
    const files = await expandInputs([DATASET]);
    const run = async (sliceRecords: number) => {
      const inspected = await Promise.all(files.map((f) => inspectPath(f, path.basename(f), sliceRecords)));
      const inputs = registerInputFiles(engine, inspected);
      return { inputs, report: await runPipeline({ engine, models: await shippedModels(), inputs, runDate: RUN_DATE }) };
    };
    const whole = await run(0);
    expect(whole.inputs.every((i) => i.slices === undefined)).toBe(true);
    const expected = await runSnapshot(whole.report, { modelLogs: false });
    const sliced = await run(7_000);
    expect(sliced.inputs.find((i) => i.inspection.source === 'crm_sales_details')!.slices!.ranges).toHaveLength(9);
    expect(await runSnapshot(sliced.report, { modelLogs: false })).toEqual(expected);
    expect(expected.state).toBe('success');
  }, 120_000);

  it.each([
    ['a ragged row in a later slice', { erp_loc_a101: LOC.replace('AW-00011004,Germany,z', 'AW-00011004,Germany,z,extra') }, [1, 2, 4]],
    ['a truncated last line', { crm_sales_details: SALES + 'SO99,BK-R93R-62,11000,2011' }, [1, 2, 4]],
    ['a quoted value that never ends', { crm_sales_details: SALES.replace('SO7,BK', 'SO7,"BK') }, [1, 2, 4]],
    // Past the 64 KiB the inspection reads to tell the encoding.
    ['bytes that are not UTF-8 in a later slice', { crm_sales_details: invalidUtf8(MANY_SALES, 'SO1500,') }, [300, 700]],
  ] as const)('%s: the same message, naming the file, the line and what it reads', async (_, texts, sizes) => {
    const whole = (await runOnTexts({ ...TEXTS, ...texts })).report;
    expect(whole.state).toBe('failed');
    expect(whole.error).toMatch(/line \d+/);
    for (const records of sizes) {
      const sliced = (await runOnTexts({ ...TEXTS, ...texts }, {}, records)).report;
      expect(sliced.error).toBe(whole.error);
    }
  });

  it('a cancel between two slices stops the run there', async () => {
    let cancelled = false;
    const { report } = await runOnTexts(TEXTS, {
      isCancelled: () => cancelled,
      onProgress: (r) => {
        // Asked once the sales file has begun to load: the next checkpoint is between its slices.
        if (r.tasks[0].models.some((m) => m.id === 'bronze.crm_sales_details')) cancelled = true;
      },
    }, 3);
    expect(report.state).toBe('cancelled');
    expect(report.error).toBe('cancelled by the user');
    expect(report.tasks[0].models.map((m) => [m.id, m.state]).slice(-1)).toEqual([['bronze.crm_sales_details', 'failed']]);
  });
});

/** The text with a byte that is not UTF-8 in the record that starts with `marker`. */
function invalidUtf8(text: string, marker: string): Uint8Array {
  const bytes = new TextEncoder().encode(text);
  const at = new TextEncoder().encode(text.slice(0, text.indexOf(marker) + marker.length)).length;
  bytes[at] = 0xff;
  return bytes;
}
