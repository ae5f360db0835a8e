/**
 * segmentation.customer_segments on six buying customers with known totals: value segments
 * against cut-offs computed here (continuous quantiles), RFM scores and named segments.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/pipeline/types.ts';
import { quantileCont, quintiles } from '../fixtures/retail-reference.ts';
import { rows, runOnTexts } from '../helpers/pipeline.ts';

const csv = (...lines: string[]) => `${lines.join('\n')}\n`;

interface Order { order: string; date: string; lines: [quantity: number, price: number][] }
interface Customer { id: number; first: string; orders: Order[] }

// A: worst in everything; B: one recent order; C: middling; D: old but frequent and high value;
// E: recent-ish, same value as D; F: best in everything. 11006 never buys.
const CUSTOMERS: Customer[] = [
  { id: 11000, first: 'Ann', orders: [{ order: 'SO100', date: '20110110', lines: [[1, 100]] }] },
  { id: 11001, first: 'Ben', orders: [{ order: 'SO200', date: '20131201', lines: [[2, 100]] }] },
  { id: 11002, first: 'Cat', orders: [
    { order: 'SO300', date: '20110201', lines: [[1, 150]] },
    { order: 'SO301', date: '20110601', lines: [[1, 150]] },
  ] },
  { id: 11003, first: 'Dan', orders: [
    { order: 'SO400', date: '20101201', lines: [[1, 100]] },
    { order: 'SO401', date: '20110101', lines: [[1, 100]] },
    { order: 'SO402', date: '20110201', lines: [[1, 50], [1, 50]] }, // two lines, one order
    { order: 'SO403', date: '20110301', lines: [[2, 100]] },
  ] },
  { id: 11004, first: 'Eve', orders: [
    { order: 'SO500', date: '20120101', lines: [[1, 250]] },
    { order: 'SO501', date: '20120601', lines: [[5, 50]] },
  ] },
  { id: 11005, first: 'Fay', orders: ['20130820', '20130920', '20131020', '20131120', '20131220'].map((date, i) => ({ order: `SO60${i}`, date, lines: [[1, 120]] })) },
];

const CUST_INFO = csv(
  'cst_id,cst_key,cst_firstname,cst_lastname,cst_marital_status,cst_gndr,cst_create_date',
  ...CUSTOMERS.map((c) => `${c.id},AW000${c.id},${c.first},Test,S,F,2010-01-01`),
  '11006,AW00011006,Gus,Test,M,M,2010-01-01',
);
const LOC_A101 = csv('CID,CNTRY', ...CUSTOMERS.map((c) => `AW-000${c.id},Australia`));
const SALES = csv(
  'sls_ord_num,sls_prd_key,sls_cust_id,sls_order_dt,sls_ship_dt,sls_due_dt,sls_sales,sls_quantity,sls_price',
  ...CUSTOMERS.flatMap((c) => c.orders.flatMap((o) => o.lines.map(([q, p]) => `${o.order},BK-R93R-62,${c.id},${o.date},${o.date},${o.date},${q * p},${q},${p}`))),
  'SO900,BK-R93R-62,99999,20120101,20120108,20120113,1000,1,1000', // unknown customer: no segment row
);

const iso = (yyyymmdd: string) => `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6)}`;
const days = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 86_400_000;

const expected = CUSTOMERS.map((c, i) => {
  const dates = c.orders.map((o) => iso(o.date)).sort();
  return {
    customer_key: i + 1,
    customer_id: c.id,
    first_name: c.first,
    total_sales: c.orders.reduce((s, o) => s + o.lines.reduce((t, [q, p]) => t + q * p, 0), 0),
    total_units: c.orders.reduce((s, o) => s + o.lines.reduce((t, [q]) => t + q, 0), 0),
    total_orders: c.orders.length,
    first_order_date: dates[0],
    last_order_date: dates[dates.length - 1],
  };
});
type Expected = (typeof expected)[number];
const TOTALS = expected.map((e) => e.total_sales);
const HIGH = quantileCont(TOTALS, 0.66);
const MEDIUM = quantileCont(TOTALS, 0.33);
const segmentOf = (sales: number) => (sales >= HIGH ? 'High' : sales >= MEDIUM ? 'Medium' : 'Low');
const AS_OF = '2013-12-21'; // the day after the last order in the data (Fay, 2013-12-20)

let report: RunReport;
type Segment = Record<string, unknown> & { customer_id: number; recency_score: number; frequency_score: number; monetary_score: number };
let segments: Segment[];

beforeAll(async () => {
  ({ report } = await runOnTexts({ crm_cust_info: CUST_INFO, erp_loc_a101: LOC_A101, crm_sales_details: SALES }));
  segments = (await rows(`
    select customer_key::integer as customer_key, customer_id, first_name, country, total_sales::double as total_sales,
      total_units::integer as total_units, total_orders::integer as total_orders,
      first_order_date::varchar as first_order_date, last_order_date::varchar as last_order_date, recency_days::integer as recency_days,
      value_segment, high_cutoff::double as high_cutoff, medium_cutoff::double as medium_cutoff,
      recency_score, frequency_score, monetary_score, rfm_code, rfm_segment
    from segmentation.customer_segments order by customer_id`)) as Segment[];
});

describe('segmentation.customer_segments', () => {
  it('the run succeeds', () => {
    expect(report.error).toBeUndefined();
    expect(report.state).toBe('success');
  });

  it('the fixture has the intended totals and cut-offs (66th: 500 reached exactly by two customers; 33rd: 265 interpolated)', () => {
    expect(TOTALS).toEqual([100, 200, 300, 500, 500, 600]);
    expect(HIGH).toBeCloseTo(500, 9);
    expect(MEDIUM).toBeCloseTo(265, 9); // 200 + 0.65 × (300 − 200)
  });

  it('one row per customer with at least one order, with lifetime sales, units, distinct orders, first/last order', () => {
    expect(segments.map((s) => ({
      customer_key: s.customer_key, customer_id: s.customer_id, first_name: s.first_name, total_sales: s.total_sales,
      total_units: s.total_units, total_orders: s.total_orders, first_order_date: s.first_order_date, last_order_date: s.last_order_date,
    }))).toEqual(expected);
    expect(segments.every((s) => s.country === 'Australia')).toBe(true);
  });

  it('recency_days counts from the day after the last order in the data', () => {
    expect(segments.map((s) => s.recency_days)).toEqual(expected.map((e) => days(e.last_order_date, AS_OF)));
    expect(segments.find((s) => s.customer_id === 11005)?.recency_days).toBe(1);
  });

  it('value_segment: High ≥ 66th percentile (continuous), Medium ≥ 33rd, else Low', () => {
    for (const s of segments) {
      expect(s.high_cutoff).toBeCloseTo(HIGH, 9);
      expect(s.medium_cutoff).toBeCloseTo(MEDIUM, 9);
    }
    expect(segments.map((s) => [s.customer_id, s.value_segment])).toEqual(expected.map((e) => [e.customer_id, segmentOf(e.total_sales)]));
    // Spelled out: 100 Low, 200 Low (a discrete 33rd percentile would make it Medium), 300 Medium,
    // 500 High (exactly the cut-off), 500 High, 600 High.
    expect(segments.map((s) => s.value_segment)).toEqual(['Low', 'Low', 'Medium', 'High', 'High', 'High']);
  });

  // The rule (README, "Segmentation"): each score is the customer's quintile, ntile(5), in the order of
  // its measure (last order date, orders, lifetime sales), ties broken by the other measures in the
  // order frequency, monetary, recency, then by customer key. Why: on the real export 63% of the
  // buyers have exactly one order; any score that gives equal values one score (percent_rank) puts
  // them all in one quintile, so the frequency score took only 1, 4 and 5 and "Potential Loyalists"
  // (recent, frequency 2-3) could never occur. Breaking ties gives every score a fifth of the
  // customers (as pandas' qcut of rank(method='first') does), and the key makes it deterministic.
  it('RFM scores are quintiles in the order of each measure, ties broken by the other measures, then the key', () => {
    const measures = {
      r: (e: Expected) => e.last_order_date,
      f: (e: Expected) => e.total_orders,
      m: (e: Expected) => e.total_sales,
    };
    const order = { r: ['r', 'f', 'm'], f: ['f', 'm', 'r'], m: ['m', 'f', 'r'] } as const;
    const score = (kind: keyof typeof order) => quintiles(expected, (a, b) => {
      for (const k of order[kind]) {
        const [x, y] = [measures[k](a), measures[k](b)];
        if (x !== y) return x < y ? -1 : 1;
      }
      return a.customer_key - b.customer_key;
    });
    const [r, f, m] = [score('r'), score('f'), score('m')];
    expect(segments.map((s) => [s.customer_id, s.recency_score, s.frequency_score, s.monetary_score, s.rfm_code]))
      .toEqual(expected.map((e, i) => [e.customer_id, r[i], f[i], m[i], `${r[i]}${f[i]}${m[i]}`]));
    // Spelled out (6 customers: ntile(5) puts two in the first quintile, one in each other).
    expect(segments.map((s) => s.rfm_code)).toEqual(['111', '411', '222', '144', '333', '555']);
  });

  it('ties are broken by the other measures: equal orders by sales, equal sales by orders', () => {
    const by = (id: number) => segments.find((s) => s.customer_id === id)!;
    // Cat and Eve have two orders each; Eve spent more (500 > 300).
    expect(by(11004).frequency_score).toBeGreaterThan(by(11002).frequency_score);
    // Dan and Eve spent 500 each; Dan ordered more often (4 > 2).
    expect(by(11003).monetary_score).toBeGreaterThan(by(11004).monetary_score);
    // better values never score lower
    const monotone = (value: (e: Expected) => number | string, score: (s: Segment) => number) => {
      for (const a of expected) for (const b of expected) {
        if (value(a) > value(b)) expect(score(by(a.customer_id))).toBeGreaterThanOrEqual(score(by(b.customer_id)));
      }
    };
    monotone((e) => e.last_order_date, (s) => s.recency_score);
    monotone((e) => e.total_orders, (s) => s.frequency_score);
    monotone((e) => e.total_sales, (s) => s.monetary_score);
  });

  it('the best customer in all three is a Champion (5-5-5); the worst in all three scores 1-1-1 and is Hibernating', () => {
    const fay = segments.find((s) => s.customer_id === 11005)!;
    expect([fay.recency_score, fay.frequency_score, fay.monetary_score, fay.rfm_segment]).toEqual([5, 5, 5, 'Champions']);
    const ann = segments.find((s) => s.customer_id === 11000)!;
    expect([ann.recency_score, ann.frequency_score, ann.monetary_score, ann.rfm_segment]).toEqual([1, 1, 1, 'Hibernating']);
  });

  it('an old customer with top frequency and value is Cannot Lose Them; a recent one-order customer is a New Customer', () => {
    const dan = segments.find((s) => s.customer_id === 11003)!;
    expect(dan.recency_score).toBeLessThanOrEqual(2);
    expect(dan.frequency_score).toBeGreaterThanOrEqual(4);
    expect(dan.monetary_score).toBeGreaterThanOrEqual(4);
    expect(dan.rfm_segment).toBe('Cannot Lose Them');
    const ben = segments.find((s) => s.customer_id === 11001)!;
    expect(ben.recency_score).toBeGreaterThanOrEqual(4);
    expect(ben.frequency_score).toBe(1);
    expect(ben.rfm_segment).toBe('New Customers');
  });
});
