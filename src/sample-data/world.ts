/**
 * What every sample file shares, derived once from the scale and the seed: the row counts,
 * the product catalogue, the sales weights, each customer's sex; and the rates of dirt.
 */
import { makeProducts, weightSlots, type Product } from './catalogue.ts';
import { mix32, streamRng, STREAM } from './random.ts';

/** "Today" for the data: future birthdates are relative to this, never to the clock. */
export const SAMPLE_REFERENCE_DATE = '2026-02-01';
/** Rows at scale 1, like the reference export. */
export const SAMPLE_BASE_COUNTS = { customers: 18_484, salesLines: 60_398 } as const;
const MIN_CUSTOMERS = 200;
const MIN_SALES_LINES = 600;

/**
 * Per-row rates of each kind of dirt, grouped by the column they spoil (kinds in a
 * group exclude each other). Every kind is also forced once near the top of its
 * file, so that it is present even at tiny scales.
 */
export const SAMPLE_DIRT_RATES = {
  customerNames: { padFirst: 0.002, padLast: 0.002, padBoth: 0.0005 },
  customerGender: { blank: 0.24, oddCode: 0.004 },
  customerMarital: { blank: 0.001 },
  customerRecord: { duplicate: 0.0008, blankId: 0.0003 },
  productCost: { missing: 0.01 },
  productLine: { blank: 0.04 },
  salesOrderDate: { zero: 0.0003, fiveDigits: 0.00005, nineDigits: 0.00005 },
  salesValues: {
    wrongSales: 0.0002,
    negativeSales: 0.00005,
    zeroSales: 0.00005,
    missingSales: 0.00015,
    negativePrice: 0.0001,
    missingPrice: 0.0001,
  },
  erpBirthdate: { future: 0.001, ancient: 0.0005 },
  erpGender: { blank: 0.08, letter: 0.003, upper: 0.002, padded: 0.001 },
  erpCountry: { blank: 0.018, padded: 0.003, spaces: 0.0003 },
} as const;

/** The catalogue and sizes shared by all files, derived once from the seed. */
export interface World {
  seed: number;
  customers: number;
  salesLines: number;
  products: Product[];
  /** Product index per slot, drawn uniformly: sales weights as a lookup table. */
  productSlots: Uint16Array;
  genderSalt: number;
}

export function makeWorld(scale: number, seed: number): World {
  const rng = streamRng(seed, STREAM.world);
  const products = makeProducts(rng);
  return {
    seed,
    customers: Math.max(MIN_CUSTOMERS, Math.round(SAMPLE_BASE_COUNTS.customers * scale)),
    salesLines: Math.max(MIN_SALES_LINES, Math.round(SAMPLE_BASE_COUNTS.salesLines * scale)),
    products,
    productSlots: weightSlots(products.map((p) => p.weight), 16_384),
    genderSalt: rng.int(0, 0x7fffffff),
  };
}

/** A customer's sex, shared by CRM and ERP (hashed from the id, so each file can compute it alone). */
export function isMale(world: World, id: number): boolean {
  return (mix32(id ^ world.genderSalt) & 1) === 0;
}

export function customerId(index: number): number {
  return 11_000 + index;
}
