/** Silver ERP models on one hand-made fixture per rule (run date 2026-11-26). */
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/pipeline/types.ts';
import { RUN_DATE, rows, runOnTexts } from '../helpers/pipeline.ts';

const csv = (...lines: string[]) => `${lines.join('\n')}\n`;

const CUST_AZ12 = csv(
  'CID,BDATE,GEN',
  'NASAW00011000,1971-10-06,Male', //       NAS stripped
  'AW00011001,1976-05-10,F', //             no NAS: unchanged
  'NASAW00011002,2026-11-26,female', //     born on the run date: kept (not in the future)
  'NASAW00011003,2026-11-27,M', //          the day after the run date: NULL
  'NASAW00011004,2050-07-06, MALE ', //     far future: NULL; padded gender
  'NASAW00011005,,', //                     missing birthdate and gender
  'NASAW00011006,1980-01-01,  ', //         blank gender
  'NASAW00011007,1980-01-01,Unknown', //    unknown gender
  'XNASAW00011008,1980-01-01,FEMALE', //    NAS not leading: kept
  ' NASAW00011009 ,1980-01-01,f', //        padded CID
);

const LOC_A101 = csv(
  'CID,CNTRY',
  'AW-00011000,DE',
  'AW-00011001,US',
  'AW-00011002,USA',
  'AW-00011003,   ', //            blank
  'AW-00011004,', //               missing
  'AW-00011005,  Australia  ', //  trimmed
  'AW-00011006, DE ', //           trimmed, then mapped
  'AW-000-11007,France', //        every dash removed
  'AW00011008,United Kingdom', //  no dash: unchanged
  'AW-00011009,de', //             codes in any case (ERPs differ): mapped
  'AW-00011010, Us ', //
  'AW-00011011,usA', //
  'AW-00011012,Germany', //        a name, not a code: unchanged, not counted as expanded
);

let report: RunReport;

beforeAll(async () => {
  ({ report } = await runOnTexts({ erp_cust_az12: CUST_AZ12, erp_loc_a101: LOC_A101 }));
});

describe('silver ERP models', () => {
  it('the run succeeds, on run date 2026-11-26', () => {
    expect(RUN_DATE).toBe('2026-11-26');
    expect(report.error).toBeUndefined();
    expect(report.state).toBe('success');
  });

  it('silver.erp_cust_az12: strips a leading NAS, nulls future birthdates, maps gender', async () => {
    expect(await rows('select cid, bdate::varchar as bdate, gen from silver.erp_cust_az12 order by cid')).toEqual([
      { cid: 'AW00011000', bdate: '1971-10-06', gen: 'Male' },
      { cid: 'AW00011001', bdate: '1976-05-10', gen: 'Female' },
      { cid: 'AW00011002', bdate: '2026-11-26', gen: 'Female' },
      { cid: 'AW00011003', bdate: null, gen: 'Male' },
      { cid: 'AW00011004', bdate: null, gen: 'Male' },
      { cid: 'AW00011005', bdate: null, gen: 'n/a' },
      { cid: 'AW00011006', bdate: '1980-01-01', gen: 'n/a' },
      { cid: 'AW00011007', bdate: '1980-01-01', gen: 'n/a' },
      { cid: 'AW00011009', bdate: '1980-01-01', gen: 'Female' },
      { cid: 'XNASAW00011008', bdate: '1980-01-01', gen: 'Female' },
    ]);
  });

  it('silver.erp_loc_a101: removes dashes from CID, maps DE/US/USA, blank or missing to n/a, else trimmed', async () => {
    expect(await rows('select cid, cntry from silver.erp_loc_a101 order by cid')).toEqual([
      { cid: 'AW00011000', cntry: 'Germany' },
      { cid: 'AW00011001', cntry: 'United States' },
      { cid: 'AW00011002', cntry: 'United States' },
      { cid: 'AW00011003', cntry: 'n/a' },
      { cid: 'AW00011004', cntry: 'n/a' },
      { cid: 'AW00011005', cntry: 'Australia' },
      { cid: 'AW00011006', cntry: 'Germany' },
      { cid: 'AW00011007', cntry: 'France' },
      { cid: 'AW00011008', cntry: 'United Kingdom' },
      { cid: 'AW00011009', cntry: 'Germany' },
      { cid: 'AW00011010', cntry: 'United States' },
      { cid: 'AW00011011', cntry: 'United States' },
      { cid: 'AW00011012', cntry: 'Germany' },
    ]);
  });

  it('rejects.repairs counts exactly the country codes silver expanded, whatever their case', async () => {
    const expanded = await rows(`select s._source_line from bronze.erp_loc_a101 as b join silver.erp_loc_a101 as s using (_source_line)
      where s.cntry in ('Germany', 'United States') and trim(b.cntry) not in ('Germany', 'United States') order by 1`);
    // lines 2-4 (DE, US, USA), 8 ( DE ), 11-13 (de,  Us , usA); not line 14 (Germany as written)
    expect(expanded.map((r) => r._source_line)).toEqual([2, 3, 4, 8, 11, 12, 13]);
    expect(await rows(`select rows::integer as rows, first_lines from rejects.repairs
      where model = 'erp_loc_a101' and rule = 'country code expanded'`)).toEqual([{ rows: 7, first_lines: '2, 3, 4, 8, 11' }]);
  });
});
