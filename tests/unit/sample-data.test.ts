import { createHash } from 'node:crypto';
import { describe, it, expect } from 'vitest';
import {
  SAMPLE_REFERENCE_DATE,
  sampleFileText,
  sampleFiles,
  type SampleFile,
} from '../../src/sample-data/generator.ts';
import { recogniseSource, sourceById, type SourceId } from '../../src/pipeline/sources.ts';

/** One CSV line into fields (RFC 4180; the sample has no line breaks inside values). */
function parseLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  fields.push(field);
  return fields;
}

interface Parsed {
  header: string[];
  rows: string[][];
  lines: string[];
}

function parse(file: SampleFile): Parsed {
  const text = sampleFileText(file);
  expect(text.endsWith('\n')).toBe(true);
  const lines = text.slice(0, -1).split('\n');
  return { header: parseLine(lines[0]), rows: lines.slice(1).map(parseLine), lines };
}

function hashOf(files: SampleFile[]): string {
  const hash = createHash('sha256');
  for (const f of files) for (const chunk of f.chunks()) hash.update(chunk);
  return hash.digest('hex');
}

const scale1 = sampleFiles({ scale: 1 });
const parsed = new Map<SourceId, Parsed>(scale1.map((f) => [f.source, parse(f)]));
const rowsOf = (id: SourceId): string[][] => parsed.get(id)!.rows;
const count = <T>(items: T[], keep: (item: T) => boolean): number => items.filter(keep).length;

describe('sample data: determinism', () => {
  it('gives the same bytes for the same seed and scale, other bytes for another seed', () => {
    const a = hashOf(sampleFiles({ scale: 0.1 }));
    expect(hashOf(sampleFiles({ scale: 0.1, seed: 42 }))).toBe(a);
    expect(hashOf(sampleFiles({ scale: 0.1, seed: 7 }))).not.toBe(a);
  });

  it('can produce each file alone and again, identically', () => {
    const sales = scale1.find((f) => f.source === 'crm_sales_details')!;
    expect(hashOf([sales])).toBe(hashOf([sales]));
  });

  it('rejects a scale that is not positive', () => {
    expect(() => sampleFiles({ scale: 0 })).toThrow(RangeError);
    expect(() => sampleFiles({ scale: Number.NaN })).toThrow(RangeError);
  });
});

describe('sample data: shape', () => {
  it('has the six files with the typical names and the contract headers', () => {
    expect(scale1.map((f) => f.source).sort()).toEqual(
      ['crm_cust_info', 'crm_prd_info', 'crm_sales_details', 'erp_cust_az12', 'erp_loc_a101', 'erp_px_cat_g1v2'],
    );
    for (const f of scale1) {
      const { header } = parsed.get(f.source)!;
      expect(f.name).toBe(sourceById(f.source).typicalFileName);
      expect(recogniseSource(header)?.id).toBe(f.source);
      expect(header.map((h) => h.toLowerCase())).toEqual(sourceById(f.source).columns);
    }
    expect(parsed.get('erp_cust_az12')!.header).toEqual(['CID', 'BDATE', 'GEN']);
  });

  it('has the same field count on every line as in its header', () => {
    for (const [, p] of parsed) {
      const bad = p.rows.filter((r) => r.length !== p.header.length);
      expect(bad).toEqual([]);
    }
  });

  it('yields ~64 KiB chunks', () => {
    const sales = scale1.find((f) => f.source === 'crm_sales_details')!;
    const sizes = [...sales.chunks()].map((c) => c.length);
    for (const size of sizes.slice(0, -1)) {
      expect(size).toBeGreaterThanOrEqual(64 * 1024);
      expect(size).toBeLessThan(66 * 1024);
    }
  });

  it('has ~60,000 sales lines, ~18,500 customers, ~400 product rows and ~37 categories at scale 1', () => {
    expect(Math.abs(rowsOf('crm_sales_details').length - 60_000)).toBeLessThanOrEqual(1_200);
    expect(Math.abs(rowsOf('crm_cust_info').length - 18_500)).toBeLessThanOrEqual(370);
    expect(rowsOf('crm_prd_info').length).toBeGreaterThan(350);
    expect(rowsOf('crm_prd_info').length).toBeLessThan(450);
    expect(rowsOf('erp_px_cat_g1v2').length).toBe(37);
  });

  it('scales customers and sales linearly, products stay', () => {
    const small = new Map(sampleFiles({ scale: 0.1 }).map((f) => [f.source, parse(f).rows.length]));
    const ratio = (id: SourceId) => small.get(id)! / rowsOf(id).length;
    expect(ratio('crm_sales_details')).toBeCloseTo(0.1, 2);
    expect(ratio('crm_cust_info')).toBeCloseTo(0.1, 2);
    expect(ratio('erp_loc_a101')).toBeCloseTo(0.1, 2);
    expect(small.get('crm_prd_info')).toBe(rowsOf('crm_prd_info').length);
  });

  it('keeps a small minimum at tiny scales', () => {
    const tiny = sampleFiles({ scale: 0.0001 });
    expect(parse(tiny.find((f) => f.source === 'crm_sales_details')!).rows.length).toBeGreaterThanOrEqual(500);
    expect(parse(tiny.find((f) => f.source === 'crm_cust_info')!).rows.length).toBeGreaterThanOrEqual(100);
  });
});

describe('sample data: keys and references', () => {
  const customers = rowsOf('crm_cust_info');
  const products = rowsOf('crm_prd_info');
  const sales = rowsOf('crm_sales_details');

  it('uses the key conventions of the reference export', () => {
    const valid = customers.filter((r) => r[0] !== '');
    expect(Number(valid[0][0])).toBe(11000);
    expect(valid.every((r) => r[1] === `AW${r[0].padStart(8, '0')}`)).toBe(true);
    expect(products.every((r) => /^[A-Z]{2}-[A-Z]{2}-[A-Z]{2}-[A-Z0-9-]+$/.test(r[1]))).toBe(true);
    expect(sales.every((r) => /^SO\d+$/.test(r[0]))).toBe(true);
    expect(rowsOf('erp_loc_a101').every((r) => /^AW-\d{8}$/.test(r[0]))).toBe(true);
    expect(rowsOf('erp_cust_az12').every((r) => /^(NAS)?AW\d{8}$/.test(r[0]))).toBe(true);
    expect(rowsOf('erp_px_cat_g1v2').every((r) => /^[A-Z]{2}_[A-Z]{2}$/.test(r[0]))).toBe(true);
    expect(new Set(rowsOf('erp_px_cat_g1v2').map((r) => r[1]))).toEqual(new Set(['Accessories', 'Bikes', 'Clothing', 'Components']));
  });

  it('mostly references existing customers, products and categories', () => {
    const ids = new Set(customers.map((r) => r[0]));
    const keys = new Set(products.map((r) => r[1].slice(6)));
    const categories = new Set(rowsOf('erp_px_cat_g1v2').map((r) => r[0]));
    expect(count(sales, (r) => ids.has(r[2])) / sales.length).toBeGreaterThan(0.99);
    expect(count(sales, (r) => keys.has(r[1])) / sales.length).toBeGreaterThan(0.99);
    expect(count(products, (r) => categories.has(r[1].slice(0, 5).replace('-', '_'))) / products.length).toBeGreaterThan(0.9);
    const keyed = new Set(customers.map((r) => r[1]));
    expect(count(rowsOf('erp_cust_az12'), (r) => keyed.has(r[0].replace(/^NAS/, ''))) / customers.length).toBeGreaterThan(0.99);
    expect(count(rowsOf('erp_loc_a101'), (r) => keyed.has(r[0].replace('-', ''))) / customers.length).toBeGreaterThan(0.99);
  });
});

/** Money as whole cents, exactly (the sample writes at most two decimals). */
const cents = (v: string): number => (v.trim() === '' ? Number.NaN : Math.round(Number(v) * 100));

/** Counts of every kind of dirt in a set of files: each must be > 0. */
function dirtCounts(files: Map<SourceId, Parsed>): Record<string, number> {
  const rows = (id: SourceId) => files.get(id)!.rows;
  const cust = rows('crm_cust_info');
  const prd = rows('crm_prd_info');
  const sls = rows('crm_sales_details');
  const az = rows('erp_cust_az12');
  const loc = rows('erp_loc_a101');
  const cats = new Set(rows('erp_px_cat_g1v2').map((r) => r[0]));
  const padded = (v: string) => v !== v.trim() && v.trim() !== '';
  const num = (v: string) => (v.trim() === '' ? Number.NaN : Number(v));

  const idDates = new Map<string, Set<string>>();
  for (const r of cust) if (r[0]) idDates.set(r[0], (idDates.get(r[0]) ?? new Set()).add(r[6]));
  const starts = new Map<string, Set<string>>();
  for (const r of prd) starts.set(r[1], (starts.get(r[1]) ?? new Set()).add(r[5]));
  const orderLines = new Map<string, number>();
  for (const r of sls) orderLines.set(r[0], (orderLines.get(r[0]) ?? 0) + 1);

  return {
    'crm padded first name': count(cust, (r) => padded(r[2])),
    'crm padded last name': count(cust, (r) => padded(r[3])),
    'crm gender M': count(cust, (r) => r[5] === 'M'),
    'crm gender F': count(cust, (r) => r[5] === 'F'),
    'crm gender blank': count(cust, (r) => r[0] !== '' && r[5] === ''),
    'crm gender odd code (lower case / padded)': count(cust, (r) => !['M', 'F', ''].includes(r[5])),
    'crm marital S': count(cust, (r) => r[4] === 'S'),
    'crm marital M': count(cust, (r) => r[4] === 'M'),
    'crm marital blank': count(cust, (r) => r[0] !== '' && r[4] === ''),
    'crm duplicate cst_id with other create dates': [...idDates.values()].filter((d) => d.size > 1).length,
    'crm blank cst_id': count(cust, (r) => r[0].trim() === ''),
    'prd missing cost': count(prd, (r) => r[3] === ''),
    'prd several start dates per key': [...starts.values()].filter((s) => s.size > 1).length,
    'prd end date before start': count(prd, (r) => r[6] !== '' && r[6] < r[5]),
    'prd padded line code': count(prd, (r) => padded(r[4])),
    'prd quoted name': count(files.get('crm_prd_info')!.lines, (l) => l.includes('"')),
    'prd category missing from ERP': count(prd, (r) => !cats.has(r[1].slice(0, 5).replace('-', '_'))),
    'sls order date 0': count(sls, (r) => r[3] === '0'),
    'sls order date 5 digits': count(sls, (r) => /^\d{5}$/.test(r[3])),
    'sls order date 9 digits': count(sls, (r) => /^\d{9}$/.test(r[3])),
    'sls several lines per order': [...orderLines.values()].filter((n) => n > 1).length,
    'sls sales != quantity x price': count(sls, (r) => num(r[6]) > 0 && num(r[8]) > 0 && cents(r[6]) !== Number(r[7]) * cents(r[8])),
    'sls price in cents': count(sls, (r) => /\.\d\d$/.test(r[8])),
    'sls price in whole units': count(sls, (r) => /^\d+$/.test(r[8])),
    'sls negative sales': count(sls, (r) => num(r[6]) < 0),
    'sls zero sales': count(sls, (r) => num(r[6]) === 0),
    'sls missing sales': count(sls, (r) => r[6] === ''),
    'sls negative price': count(sls, (r) => num(r[8]) < 0),
    'sls missing price': count(sls, (r) => r[8] === ''),
    'erp NAS prefix': count(az, (r) => r[0].startsWith('NAS')),
    'erp plain key': count(az, (r) => r[0].startsWith('AW')),
    'erp future birthdate': count(az, (r) => r[1] > SAMPLE_REFERENCE_DATE),
    ...Object.fromEntries(['F', 'FEMALE', 'M', 'MALE', 'Female', 'Male'].map((g) => [`erp gender ${g}`, count(az, (r) => r[2] === g)])),
    'erp gender blank': count(az, (r) => r[2].trim() === ''),
    'erp gender padded': count(az, (r) => padded(r[2])),
    ...Object.fromEntries(['DE', 'US', 'USA', 'Germany', 'United States'].map((c) => [`loc country ${c}`, count(loc, (r) => r[1] === c)])),
    'loc country blank': count(loc, (r) => r[1].trim() === ''),
    'loc country padded': count(loc, (r) => padded(r[1])),
    'loc dashed id': count(loc, (r) => r[0].includes('-')),
  };
}

describe('sample data: dirt', () => {
  for (const scale of [1, 0.1]) {
    it(`has every kind of dirt at scale ${scale}`, () => {
      const files = scale === 1 ? parsed : new Map(sampleFiles({ scale }).map((f) => [f.source, parse(f)]));
      const counts = dirtCounts(files);
      const missing = Object.entries(counts).filter(([, n]) => n === 0).map(([kind]) => kind);
      expect(missing).toEqual([]);
    });
  }

  it('keeps dirt rare: most rows are clean', () => {
    const sales = rowsOf('crm_sales_details');
    const clean = count(sales, (r) => /^\d{8}$/.test(r[3]) && r[6] !== '' && cents(r[6]) === Number(r[7]) * cents(r[8]) && Number(r[8]) > 0);
    expect(clean / sales.length).toBeGreaterThan(0.99);
  });

  it('writes part of the prices in cents (x.99), the rest in whole units; money has at most two decimals', () => {
    const sales = rowsOf('crm_sales_details');
    const inCents = count(sales, (r) => /^-?\d+\.\d\d$/.test(r[8]));
    expect(inCents / sales.length).toBeGreaterThan(0.3);
    expect(inCents / sales.length).toBeLessThan(0.9);
    expect(count(sales, (r) => /^-?\d+\.99$/.test(r[8]))).toBe(inCents);
    expect(sales.filter((r) => ![r[6], r[8]].every((v) => /^(-?\d+(\.\d\d)?)?$/.test(v)))).toEqual([]);
    // lines of several units at a price in cents, whose sales a float product would miss (3 × 19.99 = 59.97000000000001)
    const floatMisses = count(sales, (r) => cents(r[6]) === Number(r[7]) * cents(r[8]) && Number(r[6]) !== Number(r[7]) * Number(r[8]));
    expect(floatMisses).toBeGreaterThan(0);
  });

  it('has no future birthdate other than the planted ones (relative to the fixed reference date)', () => {
    const future = count(rowsOf('erp_cust_az12'), (r) => r[1] > SAMPLE_REFERENCE_DATE);
    expect(future / rowsOf('erp_cust_az12').length).toBeLessThan(0.005);
  });
});
