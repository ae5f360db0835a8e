/**
 * Deterministic sample data: the six CRM + ERP exports, with the same shape,
 * key conventions and kinds of dirt as the reference export, but made-up values.
 * Pure TypeScript (runs in a Web Worker too); files are produced as ~64 KiB
 * chunks so that large scales stream without being held in memory.
 */
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { JumpableRandomGenerator } from 'pure-rand/types/JumpableRandomGenerator';
import { sourceById, type SourceId } from '../pipeline/sources.ts';

export interface SampleOptions {
  scale: number;
  seed?: number;
}

export interface SampleFile {
  name: string;
  source: SourceId;
  chunks(): Generator<string>;
}

export const DEFAULT_SEED = 42;
/** "Today" for the data: future birthdates are relative to this, never to the clock. */
export const SAMPLE_REFERENCE_DATE = '2026-02-01';
/** Rows at scale 1, like the reference export. */
export const SAMPLE_BASE_COUNTS = { customers: 18_484, salesLines: 60_398 } as const;
const MIN_CUSTOMERS = 200;
const MIN_SALES_LINES = 600;
const CHUNK_CHARS = 64 * 1024;

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

/** The six sample files, in contract order. Same options → byte-identical chunks. */
export function sampleFiles(opts: SampleOptions): SampleFile[] {
  const seed = opts.seed ?? DEFAULT_SEED;
  if (!Number.isFinite(opts.scale) || opts.scale <= 0) throw new RangeError(`scale must be > 0, got ${opts.scale}`);
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  const world = makeWorld(opts.scale, seed);
  const file = (source: SourceId, header: string, rows: () => Iterable<string>): SampleFile => ({
    name: sourceById(source).typicalFileName,
    source,
    chunks: () => chunked(header, rows()),
  });
  return [
    file('crm_cust_info', 'cst_id,cst_key,cst_firstname,cst_lastname,cst_marital_status,cst_gndr,cst_create_date', () => customerRows(world)),
    file('crm_prd_info', 'prd_id,prd_key,prd_nm,prd_cost,prd_line,prd_start_dt,prd_end_dt', () => productRows(world)),
    file('crm_sales_details', 'sls_ord_num,sls_prd_key,sls_cust_id,sls_order_dt,sls_ship_dt,sls_due_dt,sls_sales,sls_quantity,sls_price', () => salesRows(world)),
    file('erp_cust_az12', 'CID,BDATE,GEN', () => erpCustomerRows(world)),
    file('erp_loc_a101', 'CID,CNTRY', () => locationRows(world)),
    file('erp_px_cat_g1v2', 'ID,CAT,SUBCAT,MAINTENANCE', () => categoryRows()),
  ];
}

/** The whole file as one string; fine for small scales only. */
export function sampleFileText(file: SampleFile): string {
  let text = '';
  for (const chunk of file.chunks()) text += chunk;
  return text;
}

function* chunked(header: string, rows: Iterable<string>): Generator<string> {
  let buffer = header + '\n';
  for (const row of rows) {
    buffer += row;
    if (buffer.length >= CHUNK_CHARS) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer) yield buffer;
}

// ---------------------------------------------------------------- randomness

/** A thin mutable wrapper over a pure-rand generator. */
class Rng {
  constructor(private readonly gen: JumpableRandomGenerator) {}
  int(min: number, max: number): number {
    return uniformInt(this.gen, min, max);
  }
  /** In [0, 1); one raw draw, cheaper than a uniform distribution for coin flips. */
  float(): number {
    return (this.gen.next() >>> 0) / 4294967296;
  }
  chance(p: number): boolean {
    return this.float() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)];
  }
}

/** One independent stream per file (jumps), so each file can be produced alone and in any order. */
const STREAM = { world: 0, customers: 1, products: 2, sales: 3, erpCustomers: 4, locations: 5, categories: 6 } as const;

function streamRng(seed: number, stream: number): Rng {
  const gen = xoroshiro128plus(seed);
  for (let i = 0; i <= stream; i++) gen.jump();
  return new Rng(gen);
}

/** A 32-bit integer hash (murmur3 finaliser), for per-customer traits shared across files. */
function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * Picks at most one kind of dirt per row from a group of exclusive kinds. One draw per
 * row whatever happens, so the stream stays aligned; each kind is also forced on one
 * row near `firstForcedRow` (rows 17 apart, so forced rows never collide).
 */
class DirtPicker<K extends string> {
  private readonly kinds: K[];
  private readonly cumulative: number[];
  private readonly forced = new Map<number, K>();

  constructor(private readonly rng: Rng, rates: Readonly<Record<K, number>>, firstForcedRow: number) {
    this.kinds = Object.keys(rates) as K[];
    let sum = 0;
    this.cumulative = this.kinds.map((k) => (sum += rates[k]));
    this.kinds.forEach((k, i) => this.forced.set(firstForcedRow + i * 17 + rng.int(0, 9), k));
  }

  kind(row: number): K | undefined {
    const u = this.rng.float();
    const forced = this.forced.get(row);
    if (forced) return forced;
    for (let i = 0; i < this.cumulative.length; i++) if (u < this.cumulative[i]) return this.kinds[i];
    return undefined;
  }
}

// ---------------------------------------------------------------- small helpers

const DAY_MS = 86_400_000;

function dayNumber(iso: string): number {
  return Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
}

function isoDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** `isoDate` for `count` consecutive days from `first`, computed once (Date formatting is slow per row). */
function isoDays(first: number, count: number): string[] {
  return Array.from({ length: count }, (_, d) => isoDate(first + d));
}

/** RFC 4180: quote a value only when it holds a delimiter, quote or line break. */
function csv(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function customerKey(id: number): string {
  return 'AW' + String(id).padStart(8, '0');
}

// ---------------------------------------------------------------- catalogue

type ProductLine = 'M' | 'R' | 'S' | 'T';

interface SubcategorySpec {
  id: string;
  cat: string;
  sub: string;
  maintenance: 'Yes' | 'No';
  /** Product key prefix when it differs from the category id (an orphan, as in the reference export). */
  keyPrefix?: string;
  /** Two-letter product type, the start of the key that sales use. */
  type: string;
  /** Product name; {tier}, {color} and {size} are filled in. */
  title: string;
  tiers: readonly string[];
  colors: readonly string[];
  sizes: readonly string[];
  cost: readonly [number, number];
  line: ProductLine;
  /** Share of sales lines for the whole subcategory. */
  weight: number;
}

const COLOR_CODE: Record<string, string> = { Red: 'R', Black: 'B', Silver: 'S', Yellow: 'Y', Blue: 'U', White: 'W', Green: 'G' };

function spec(
  id: string, sub: string, maintenance: 'Yes' | 'No', type: string, title: string,
  dims: { tiers?: string[]; colors?: string[]; sizes?: string[]; cost: [number, number]; line: ProductLine; weight: number; keyPrefix?: string },
): SubcategorySpec {
  const cat = { AC: 'Accessories', BI: 'Bikes', CL: 'Clothing', CO: 'Components' }[id.slice(0, 2)] ?? 'Other';
  return {
    id, cat, sub, maintenance, type, title,
    tiers: dims.tiers ?? [''], colors: dims.colors ?? [''], sizes: dims.sizes ?? [''],
    cost: dims.cost, line: dims.line, weight: dims.weight, keyPrefix: dims.keyPrefix,
  };
}

const FRAME_SIZES = ['44', '48', '52', '56', '60'];
const BIKE_SIZES = ['40', '44', '48', '52', '56', '62'];
const WEAR_SIZES = ['S', 'M', 'L', 'XL'];

const SUBCATEGORIES: readonly SubcategorySpec[] = [
  spec('AC_BR', 'Bike Racks', 'Yes', 'RK', 'Hitch Rack {tier}', { tiers: ['2-Bike', '4-Bike'], cost: [30, 60], line: 'S', weight: 0.006 }),
  spec('AC_BL', 'Bells', 'No', 'BE', '{tier} Bell', { tiers: ['Classic', 'Mini'], cost: [2, 5], line: 'S', weight: 0.01 }),
  spec('AC_BC', 'Bottles and Cages', 'No', 'BC', '{tier}', { tiers: ['Water Bottle 750ml', 'Road Bottle Cage', 'Mountain Bottle Cage'], cost: [2, 6], line: 'S', weight: 0.14 }),
  spec('AC_CL', 'Cleaners', 'Yes', 'CX', 'Chain Cleaner, {tier}', { tiers: ['Degreaser'], cost: [3, 5], line: 'S', weight: 0.01 }),
  spec('AC_FE', 'Fenders', 'No', 'FN', 'Fender Set - {tier}', { tiers: ['Mountain', 'Road'], cost: [7, 10], line: 'M', weight: 0.03 }),
  spec('AC_HE', 'Helmets', 'Yes', 'HM', 'Trail-{tier} Helmet - {color}', { tiers: ['90'], colors: ['Red', 'Black', 'Blue'], cost: [12, 16], line: 'S', weight: 0.1 }),
  spec('AC_LI', 'Lights', 'Yes', 'LT', '{tier} Light', { tiers: ['Taillight', 'Headlight - Weatherproof', 'Headlight - Dual-Beam'], cost: [5, 18], line: 'R', weight: 0.01 }),
  spec('AC_LO', 'Locks', 'Yes', 'LK', 'Cable Lock {tier}', { tiers: ['12mm'], cost: [9, 11], line: 'S', weight: 0.005 }),
  spec('AC_PA', 'Panniers', 'No', 'PN', 'Touring Pannier, {tier}', { tiers: ['Large'], cost: [45, 55], line: 'T', weight: 0.005 }),
  spec('AC_PU', 'Pumps', 'Yes', 'PM', '{tier} Pump', { tiers: ['Mini', 'Floor'], cost: [8, 15], line: 'S', weight: 0.01 }),
  spec('AC_TT', 'Tires and Tubes', 'Yes', 'TR', '{tier}', {
    tiers: ['Patch Kit "8 Patches"', 'Mountain Tire Tube', 'Road Tire Tube', 'Touring Tire Tube', 'LL Mountain Tire', 'ML Mountain Tire', 'HL Mountain Tire', 'LL Road Tire', 'ML Road Tire', 'HL Road Tire'],
    cost: [1, 14], line: 'S', weight: 0.2,
  }),
  spec('BI_MB', 'Mountain Bikes', 'Yes', 'BK', 'Summit-{tier} {color} - {size}', { tiers: ['300', '500', '700'], colors: ['Black', 'Silver'], sizes: ['38', '42', '44', '46', '48'], cost: [290, 1900], line: 'M', weight: 0.08 }),
  spec('BI_RB', 'Road Bikes', 'Yes', 'BK', 'Tarmac-{tier} {color} - {size}', { tiers: ['120', '340', '560', '780'], colors: ['Red', 'Black'], sizes: BIKE_SIZES, cost: [320, 2100], line: 'R', weight: 0.12 }),
  spec('BI_TB', 'Touring Bikes', 'Yes', 'BK', 'Voyager-{tier} {color} - {size}', { tiers: ['1000', '3000'], colors: ['Yellow', 'Blue'], sizes: ['46', '50', '54', '58', '60'], cost: [430, 1450], line: 'T', weight: 0.04 }),
  spec('BI_GB', 'Gravel Bikes', 'Yes', 'BK', 'Gravel-{tier} {color} - {size}', { tiers: ['200', '400'], colors: ['Green'], sizes: ['48', '52', '56', '60'], cost: [520, 1300], line: 'R', weight: 0.02 }),
  spec('CL_BS', 'Bib-Shorts', 'No', 'SB', 'Pro Bib-Shorts - {size}', { sizes: ['S', 'M', 'L'], cost: [30, 40], line: 'S', weight: 0.01 }),
  spec('CL_CA', 'Caps', 'No', 'CP', 'Logo Cap', { cost: [5, 7], line: 'S', weight: 0.04 }),
  spec('CL_GL', 'Gloves', 'No', 'GV', '{tier} Gloves - {size}', { tiers: ['Half-Finger', 'Full-Finger'], sizes: ['S', 'M', 'L'], cost: [9, 16], line: 'M', weight: 0.03 }),
  spec('CL_JA', 'Jackets', 'No', 'JK', 'Rain Jacket - {size}', { sizes: WEAR_SIZES, cost: [35, 48], line: 'S', weight: 0.01 }),
  spec('CL_JE', 'Jerseys', 'No', 'JS', '{tier} Logo Jersey - {size}', { tiers: ['Short-Sleeve', 'Long-Sleeve'], sizes: WEAR_SIZES, cost: [28, 40], line: 'S', weight: 0.05 }),
  spec('CL_SH', 'Shorts', 'No', 'SR', '{tier} Shorts - {size}', { tiers: ["Men's Sport", "Women's Trail"], sizes: WEAR_SIZES, cost: [24, 34], line: 'M', weight: 0.02 }),
  spec('CL_SO', 'Socks', 'No', 'SK', '{tier} Socks - {size}', { tiers: ['Racing', 'Trail'], sizes: ['S', 'M', 'L'], cost: [3, 5], line: 'M', weight: 0.01 }),
  spec('CL_VE', 'Vests', 'No', 'VS', 'Wind Vest - {size}', { sizes: ['S', 'M', 'L'], cost: [22, 26], line: 'S', weight: 0.01 }),
  spec('CO_BB', 'Bottom Brackets', 'Yes', 'BB', '{tier} Bottom Bracket', { tiers: ['LL', 'ML', 'HL'], cost: [20, 55], line: 'M', weight: 0.002 }),
  spec('CO_BR', 'Brakes', 'Yes', 'BA', '{tier} Brakes', { tiers: ['Rim', 'Disc'], cost: [45, 60], line: 'R', weight: 0.002 }),
  spec('CO_CH', 'Chains', 'Yes', 'CN', 'Chain, {tier}', { tiers: ['11-speed'], cost: [8, 10], line: 'R', weight: 0.003 }),
  spec('CO_CS', 'Cranksets', 'Yes', 'CK', '{tier} Crankset', { tiers: ['LL', 'ML', 'HL'], cost: [80, 180], line: 'R', weight: 0.002 }),
  spec('CO_DE', 'Derailleurs', 'Yes', 'DR', '{tier} Derailleur', { tiers: ['Front', 'Rear'], cost: [40, 55], line: 'R', weight: 0.002 }),
  spec('CO_FO', 'Forks', 'Yes', 'FK', '{tier} Fork', { tiers: ['LL', 'ML', 'HL'], cost: [65, 150], line: 'M', weight: 0.002 }),
  spec('CO_HB', 'Handlebars', 'No', 'HB', '{tier} Handlebars', { tiers: ['LL Road', 'ML Road', 'HL Road', 'LL Mountain', 'ML Mountain', 'HL Mountain', 'LL Touring', 'HL Touring'], cost: [20, 55], line: 'M', weight: 0.002 }),
  spec('CO_HS', 'Headsets', 'No', 'HS', '{tier} Headset', { tiers: ['LL', 'ML', 'HL'], cost: [15, 55], line: 'M', weight: 0.002 }),
  spec('CO_MF', 'Mountain Frames', 'Yes', 'FR', '{tier} Mountain Frame - {color}, {size}', { tiers: ['LL', 'HL'], colors: ['Black', 'Silver'], sizes: ['38', '42', '44', '46', '48'], cost: [140, 750], line: 'M', weight: 0.002 }),
  spec('CO_PD', 'Pedals', 'No', 'PD', '{tier} Pedal', { tiers: ['LL Road', 'ML Road', 'HL Road', 'LL Mountain', 'HL Mountain'], cost: [15, 45], line: 'R', weight: 0.002, keyPrefix: 'CO-PE' }),
  spec('CO_RF', 'Road Frames', 'Yes', 'FR', '{tier} Road Frame - {color} {size}', { tiers: ['LL', 'ML', 'HL'], colors: ['Red', 'Black'], sizes: ['44', '48', '52', '56', '58', '60'], cost: [170, 880], line: 'R', weight: 0.002 }),
  spec('CO_SA', 'Saddles', 'No', 'SD', '{tier} Saddle', { tiers: ['LL Road', 'ML Road', 'HL Road', 'LL Mountain', 'ML Mountain', 'HL Mountain'], cost: [12, 30], line: 'R', weight: 0.002 }),
  spec('CO_TF', 'Touring Frames', 'Yes', 'FR', '{tier} Touring Frame - {color} {size}', { tiers: ['LL', 'HL'], colors: ['Yellow', 'Blue'], sizes: FRAME_SIZES, cost: [190, 600], line: 'T', weight: 0.002 }),
  spec('CO_WH', 'Wheels', 'Yes', 'WH', '{tier} Wheel', { tiers: ['LL Road Front', 'LL Road Rear', 'HL Road Front', 'HL Road Rear', 'LL Mountain Front', 'LL Mountain Rear', 'HL Mountain Front', 'HL Mountain Rear'], cost: [40, 140], line: 'R', weight: 0.002 }),
];

interface HistoryRow {
  start: number;
  /** As written in the export, untrusted. */
  end: string;
  cost: number | undefined;
  line: string;
}

interface Product {
  /** Full key, e.g. `BI-RB-BK-R93R-62`. */
  key: string;
  /** The key sales use (from char 7), e.g. `BK-R93R-62`. */
  salesKey: string;
  name: string;
  history: HistoryRow[];
  /** List price per history row, same order, in whole cents (integers, so sums stay exact). */
  prices: number[];
  weight: number;
}

/** The catalogue and sizes shared by all files, derived once from the seed. */
interface World {
  seed: number;
  customers: number;
  salesLines: number;
  products: Product[];
  /** Product index per slot, drawn uniformly: sales weights as a lookup table. */
  productSlots: Uint16Array;
  genderSalt: number;
}

function makeWorld(scale: number, seed: number): World {
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

function makeProducts(rng: Rng): Product[] {
  const used = new Set<string>();
  const products: Product[] = [];
  for (const sub of SUBCATEGORIES) {
    const ofSub = productsOfSubcategory(rng, sub, used);
    for (const p of ofSub) p.weight = sub.weight / ofSub.length;
    products.push(...ofSub);
  }
  shuffle(rng, products);
  return products;
}

function productsOfSubcategory(rng: Rng, sub: SubcategorySpec, used: Set<string>): Product[] {
  const prefix = sub.keyPrefix ?? sub.id.replace('_', '-');
  const many = sub.colors.length * sub.sizes.length > 1;
  const out: Product[] = [];
  for (const tier of sub.tiers) {
    const model = uniqueModelCode(rng, sub, used);
    const markup = 1.5 + rng.int(0, 80) / 100;
    const tierCost = rng.int(sub.cost[0], sub.cost[1]);
    for (const color of sub.colors) {
      for (const size of sub.sizes) {
        if (many && rng.chance(0.12)) continue; // not every size exists in every colour
        const tail = `${sub.type}-${model}${COLOR_CODE[color] ?? ''}${size ? '-' + size : ''}`;
        const name = sub.title.replace('{tier}', tier).replace('{color}', color).replace('{size}', size).replace(/\s+/g, ' ').trim();
        const history = productHistory(rng, sub.line, tierCost);
        const prices = history.map((h) => listPriceCents(sub, Math.max(1, Math.round((h.cost ?? tierCost) * markup))));
        out.push({ key: `${prefix}-${tail}`, salesKey: tail, name, history, prices, weight: 0 });
      }
    }
  }
  return out;
}

/** Accessories and clothing end in .99 (19.99), bikes and components are whole: sales lines in cents and in units. */
function listPriceCents(sub: SubcategorySpec, whole: number): number {
  return sub.cat === 'Accessories' || sub.cat === 'Clothing' ? whole * 100 - 1 : whole * 100;
}

function uniqueModelCode(rng: Rng, sub: SubcategorySpec, used: Set<string>): string {
  for (;;) {
    const digits = sub.cat === 'Accessories' || sub.cat === 'Clothing' ? rng.int(100, 9999) : rng.int(10, 99);
    const code = `${sub.line}${String(digits).padStart(digits < 100 ? 2 : 4, '0')}`;
    if (!used.has(`${sub.type}-${code}`)) {
      used.add(`${sub.type}-${code}`);
      return code;
    }
  }
}

/**
 * One to three history rows per product key, a year apart. End dates are
 * written like the reference export: often before the start (untrusted).
 */
function productHistory(rng: Rng, line: ProductLine, baseCost: number): HistoryRow[] {
  const rows = rng.chance(0.64) ? 1 : rng.chance(0.6) ? 2 : 3;
  const firstYear = rng.chance(0.8) ? 2011 : 2012;
  const history: HistoryRow[] = [];
  for (let i = 0; i < rows; i++) {
    const start = dayNumber(`${firstYear + i}-07-01`);
    const cost = Math.max(1, Math.round(baseCost * (0.9 + rng.int(0, 25) / 100)));
    history.push({ start, end: historyEnd(rng, start, i === rows - 1), cost, line });
  }
  return history;
}

function historyEnd(rng: Rng, start: number, last: boolean): string {
  const contradicting = isoDate(start - 1281 + rng.int(0, 3)); // ~3.5 years before the start
  if (last) return rng.chance(0.6) ? '' : contradicting;
  return rng.chance(0.75) ? contradicting : isoDate(start + 364);
}

function shuffle<T>(rng: Rng, items: T[]): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [items[i], items[j]] = [items[j], items[i]];
  }
}

/** A lookup table with each index repeated in proportion to its weight. */
function weightSlots(weights: number[], size: number): Uint16Array {
  const total = weights.reduce((a, b) => a + b, 0);
  const slots = new Uint16Array(size);
  let filled = 0;
  let acc = 0;
  weights.forEach((w, i) => {
    acc += w;
    const upto = i === weights.length - 1 ? size : Math.round((acc / total) * size);
    for (; filled < upto; filled++) slots[filled] = i;
  });
  return slots;
}

// ---------------------------------------------------------------- people

const MALE_NAMES = [
  'Aaron', 'Adrian', 'Alan', 'Albert', 'Alejandro', 'Andre', 'Andrew', 'Anthony', 'Arjun', 'Ben', 'Brandon', 'Brian',
  'Bruno', 'Caleb', 'Carlos', 'Chen', 'Christian', 'Colin', 'Daniel', 'David', 'Diego', 'Dmitri', 'Edward', 'Elijah',
  'Eric', 'Ethan', 'Felix', 'Fernando', 'Gabriel', 'George', 'Hans', 'Hiroshi', 'Ian', 'Isaac', 'Ivan', 'Jack',
  'Jacob', 'James', 'Jamal', 'Javier', 'Jason', 'Jonas', 'Jordan', 'Jose', 'Julian', 'Kenji', 'Kevin', 'Lars',
  'Leon', 'Liam', 'Lucas', 'Luis', 'Marco', 'Mark', 'Mateo', 'Matthew', 'Max', 'Miguel', 'Mohammed', 'Nathan',
  'Nikhil', 'Noah', 'Oliver', 'Omar', 'Oscar', 'Pablo', 'Patrick', 'Paul', 'Pedro', 'Peter', 'Rafael', 'Raj',
  'Ricardo', 'Robert', 'Ryan', 'Samuel', 'Sean', 'Sebastian', 'Stefan', 'Thomas', 'Tyler', 'Victor', 'Wei', 'William',
];
const FEMALE_NAMES = [
  'Abigail', 'Aisha', 'Alexandra', 'Alicia', 'Amanda', 'Amelia', 'Ana', 'Angela', 'Anna', 'Ava', 'Beatriz', 'Bianca',
  'Camila', 'Carmen', 'Caroline', 'Charlotte', 'Chloe', 'Claire', 'Clara', 'Daniela', 'Diana', 'Elena', 'Elise', 'Emily',
  'Emma', 'Eva', 'Fatima', 'Fiona', 'Grace', 'Hannah', 'Ingrid', 'Isabel', 'Jasmine', 'Jennifer', 'Jessica', 'Julia',
  'Katherine', 'Kayla', 'Laura', 'Leah', 'Lena', 'Lily', 'Lucia', 'Madison', 'Maria', 'Marina', 'Megan', 'Mei',
  'Mia', 'Michelle', 'Naomi', 'Natalie', 'Nina', 'Olivia', 'Paula', 'Priya', 'Rachel', 'Rebecca', 'Rosa', 'Ruth',
  'Sakura', 'Samantha', 'Sara', 'Sofia', 'Sophie', 'Stephanie', 'Susan', 'Tanya', 'Valentina', 'Victoria', 'Yuki', 'Zoe',
];
const LAST_NAMES = [
  'Adams', 'Alvarez', 'Anderson', 'Bailey', 'Baker', 'Becker', 'Bennett', 'Brooks', 'Brown', 'Bui', 'Campbell', 'Carter',
  'Castillo', 'Chan', 'Chavez', 'Chen', 'Clark', 'Collins', 'Cook', 'Cooper', 'Cruz', 'Das', 'Davies', 'Diaz',
  'Dubois', 'Edwards', 'Evans', 'Fischer', 'Flores', 'Foster', 'Garcia', 'Gomez', 'Gonzalez', 'Gray', 'Green', 'Gupta',
  'Hall', 'Harris', 'Hernandez', 'Hill', 'Hoffmann', 'Howard', 'Hughes', 'Ito', 'Jackson', 'James', 'Jenkins', 'Jimenez',
  'Johnson', 'Jones', 'Kaur', 'Kelly', 'Kim', 'King', 'Klein', 'Kumar', 'Lambert', 'Lee', 'Lewis', 'Li',
  'Lin', 'Liu', 'Lopez', 'Martin', 'Martinez', 'Meyer', 'Miller', 'Mitchell', 'Moore', 'Morales', 'Moreau', 'Morgan',
  'Morris', 'Murphy', 'Nakamura', 'Nguyen', "O'Brien", 'Ortiz', 'Parker', 'Patel', 'Perez', 'Peterson', 'Phillips', 'Price',
  'Ramirez', 'Reed', 'Reyes', 'Richardson', 'Rivera', 'Roberts', 'Robinson', 'Rodriguez', 'Rogers', 'Ross', 'Russell', 'Sanchez',
  'Sanders', 'Schmidt', 'Schneider', 'Scott', 'Shah', 'Sharma', 'Silva', 'Singh', 'Smith', 'Sorensen', 'Stewart', 'Suzuki',
  'Tanaka', 'Taylor', 'Thomas', 'Thompson', 'Torres', 'Tran', 'Turner', 'Walker', 'Wang', 'Ward', 'Watson', 'Weber',
  'White', 'Williams', 'Wilson', 'Wong', 'Wood', 'Wright', 'Wu', 'Xu', 'Yamamoto', 'Yang', 'Young', 'Zhang',
  'Zhao', 'Zhou', 'Ziegler', 'Van der Berg', 'Lefebvre', 'Rossi', 'Ferrari', 'Novak', 'Kowalski', 'Larsen',
];

/** A customer's sex, shared by CRM and ERP (hashed from the id, so each file can compute it alone). */
function isMale(world: World, id: number): boolean {
  return (mix32(id ^ world.genderSalt) & 1) === 0;
}

function customerId(index: number): number {
  return 11_000 + index;
}

// ---------------------------------------------------------------- crm customers

const CREATE_FIRST_DAY = dayNumber('2025-10-06');
const CREATE_DAYS = 110;
/** Older duplicate versions can predate the first create day by a few days. */
const CREATE_SLACK = 10;

function* customerRows(world: World): Generator<string> {
  const rng = streamRng(world.seed, STREAM.customers);
  const names = new DirtPicker(rng, SAMPLE_DIRT_RATES.customerNames, 5);
  const gender = new DirtPicker(rng, SAMPLE_DIRT_RATES.customerGender, 60);
  const marital = new DirtPicker(rng, SAMPLE_DIRT_RATES.customerMarital, 100);
  const record = new DirtPicker(rng, SAMPLE_DIRT_RATES.customerRecord, 120);
  const dates = isoDays(CREATE_FIRST_DAY - CREATE_SLACK, CREATE_DAYS + CREATE_SLACK + 1);
  for (let i = 0; i < world.customers; i++) {
    const id = customerId(i);
    const male = isMale(world, id);
    let first = rng.pick(male ? MALE_NAMES : FEMALE_NAMES);
    let last = rng.pick(LAST_NAMES);
    const nameDirt = names.kind(i);
    if (nameDirt === 'padFirst' || nameDirt === 'padBoth') first = pad(rng, first);
    if (nameDirt === 'padLast' || nameDirt === 'padBoth') last = pad(rng, last);
    const maritalCode = marital.kind(i) === 'blank' ? '' : rng.chance(0.54) ? 'M' : 'S';
    const genderCode = crmGender(rng, gender.kind(i), male);
    const created = CREATE_SLACK + rng.int(0, CREATE_DAYS);
    const row = { id, first, last, marital: maritalCode, gender: genderCode, created };
    const kind = record.kind(i);
    if (kind === 'duplicate') yield olderVersions(rng, row, dates);
    yield customerLine(row, dates);
    if (kind === 'blankId') yield `,${garbageKey(rng)},,,,,\n`;
  }
}

interface CustomerRow {
  id: number;
  first: string;
  last: string;
  marital: string;
  gender: string;
  /** Index into the create-date table. */
  created: number;
}

function customerLine(r: CustomerRow, dates: readonly string[]): string {
  return `${r.id},${customerKey(r.id)},${csv(r.first)},${csv(r.last)},${r.marital},${r.gender},${dates[r.created]}\n`;
}

/** Leading and/or trailing blanks, one to two of each. */
function pad(rng: Rng, value: string): string {
  const lead = ' '.repeat(rng.int(0, 2));
  const trail = ' '.repeat(lead ? rng.int(0, 2) : rng.int(1, 2));
  return lead + value + trail;
}

function crmGender(rng: Rng, dirt: 'blank' | 'oddCode' | undefined, male: boolean): string {
  if (dirt === 'blank') return '';
  if (dirt === 'oddCode') return rng.pick(male ? [' m ', 'm', 'M '] : [' f ', 'f', 'F ']);
  return male ? 'M' : 'F';
}

/** Earlier, less complete copies of a customer: same cst_id, earlier create dates. */
function olderVersions(rng: Rng, row: CustomerRow, dates: readonly string[]): string {
  const gaps = rng.chance(0.8) ? [rng.int(1, 3)] : [rng.int(4, 6), rng.int(1, 3)]; // oldest first
  let out = '';
  for (const gap of gaps) {
    out += customerLine({
      ...row,
      first: rng.chance(0.5) ? '' : row.first,
      last: rng.chance(0.3) ? '' : row.last,
      marital: rng.chance(0.4) ? '' : row.marital,
      gender: rng.chance(0.6) ? '' : row.gender,
      created: row.created - gap,
    }, dates);
  }
  return out;
}

/** A stray key with no id, like the test rows left in the reference export. */
function garbageKey(rng: Rng): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789';
  let key = '';
  for (let n = rng.int(4, 8); n > 0; n--) key += alphabet[rng.int(0, alphabet.length - 1)];
  return key;
}

// ---------------------------------------------------------------- crm products

function* productRows(world: World): Generator<string> {
  const rng = streamRng(world.seed, STREAM.products);
  const rowCount = world.products.reduce((n, p) => n + p.history.length, 0);
  const cost = new DirtPicker(rng, SAMPLE_DIRT_RATES.productCost, 3);
  const line = new DirtPicker(rng, SAMPLE_DIRT_RATES.productLine, Math.min(40, rowCount - 20));
  let row = 0;
  let id = 210;
  for (const p of world.products) {
    for (const h of p.history) {
      const costText = cost.kind(row) === 'missing' ? '' : String(h.cost);
      const lineText = line.kind(row) === 'blank' ? '' : `${h.line} `; // padded, as exported
      yield `${id},${p.key},${csv(p.name)},${costText},${lineText},${isoDate(h.start)},${h.end}\n`;
      row++;
      id++;
    }
  }
}

// ---------------------------------------------------------------- crm sales

const FIRST_ORDER_DAY = dayNumber('2010-12-29');
const ORDER_DAYS = dayNumber('2014-01-28') - FIRST_ORDER_DAY;
/** Growth of order volume over time: density ∝ e^(GROWTH·t). */
const GROWTH = 2.5;
/** Lines per order: 1..8, like the reference export. */
const LINES_PER_ORDER = [0.35, 0.295, 0.212, 0.113, 0.025, 0.004, 0.0005, 0.0001];
/** Share of orders placed by the most loyal fifth of the customers. */
const REGULAR_SHARE = 0.6;

/** yyyymmdd for every day the sales can mention, computed once. */
function compactDays(): string[] {
  return isoDays(FIRST_ORDER_DAY, ORDER_DAYS + 21).map((d) => d.replaceAll('-', ''));
}

/** Order day for the order starting at `fraction` of the lines: monotone, more orders later. */
function orderDay(fraction: number): number {
  return Math.min(ORDER_DAYS, Math.floor((ORDER_DAYS * Math.log1p(fraction * Math.expm1(GROWTH))) / GROWTH));
}

function orderSize(rng: Rng): number {
  let u = rng.float();
  for (let i = 0; i < LINES_PER_ORDER.length; i++) {
    u -= LINES_PER_ORDER[i];
    if (u < 0) return i + 1;
  }
  return 1;
}

/** Customers in a seeded order; the first fifth are the regulars. */
function customerOrder(rng: Rng, count: number): Int32Array {
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  for (let i = count - 1; i > 0; i--) {
    const j = rng.int(0, i);
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}

function priceAt(p: Product, day: number): number {
  let price = p.prices[0];
  for (let i = 1; i < p.history.length; i++) if (p.history[i].start <= day) price = p.prices[i];
  return price;
}

function* salesRows(world: World): Generator<string> {
  const rng = streamRng(world.seed, STREAM.sales);
  const days = compactDays();
  const customers = customerOrder(rng, world.customers);
  const regulars = Math.max(1, Math.floor(world.customers / 5));
  const dateDirt = new DirtPicker(rng, SAMPLE_DIRT_RATES.salesOrderDate, 30);
  const valueDirt = new DirtPicker(rng, SAMPLE_DIRT_RATES.salesValues, 150);
  const total = world.salesLines;
  const inOrder: number[] = [];
  let line = 0;
  for (let order = 43_697; line < total; order++) {
    const size = Math.min(orderSize(rng), total - line);
    const day = orderDay(line / total);
    const ship = day + (rng.chance(0.9) ? 7 : rng.int(8, 9));
    const due = day + 12;
    const who = customerId(customers[rng.chance(REGULAR_SHARE) ? rng.int(0, regulars - 1) : rng.int(0, world.customers - 1)]);
    const head = `SO${order},`;
    const tail = `,${days[ship]},${days[due]},`;
    inOrder.length = 0;
    let text = '';
    for (let k = 0; k < size; k++, line++) {
      const p = world.products[distinctProduct(rng, world, inOrder)];
      const orderText = badOrderDate(rng, dateDirt.kind(line), days[day]);
      const qty = rng.chance(0.985) ? 1 : rng.int(2, 4);
      text += `${head}${p.salesKey},${who},${orderText}${tail}${salesValues(rng, valueDirt.kind(line), qty, priceAt(p, FIRST_ORDER_DAY + day))}\n`;
    }
    yield text;
  }
}

/** A product not yet in this order (a few tries; repeats are tolerable). */
function distinctProduct(rng: Rng, world: World, inOrder: number[]): number {
  let index = world.productSlots[rng.int(0, world.productSlots.length - 1)];
  for (let tries = 0; tries < 4 && inOrder.includes(index); tries++) index = world.productSlots[rng.int(0, world.productSlots.length - 1)];
  inOrder.push(index);
  return index;
}

type OrderDateDirt = keyof typeof SAMPLE_DIRT_RATES.salesOrderDate;

function badOrderDate(rng: Rng, dirt: OrderDateDirt | undefined, good: string): string {
  if (dirt === 'zero') return '0';
  if (dirt === 'fiveDigits') return String(rng.int(10_000, 99_999));
  if (dirt === 'nineDigits') return good + String(rng.int(0, 9)); // a stray keystroke
  return good;
}

type SalesValueDirt = keyof typeof SAMPLE_DIRT_RATES.salesValues;

/** `sales,quantity,price`, consistent unless dirt says otherwise; computed in cents, written as decimals. */
function salesValues(rng: Rng, dirt: SalesValueDirt | undefined, qty: number, priceCents: number): string {
  const sales = money(qty * priceCents);
  const price = money(priceCents);
  switch (dirt) {
    case undefined: return `${sales},${qty},${price}`;
    case 'wrongSales': return `${money(qty * priceCents + rng.pick([-1, 1]) * rng.int(1, Math.max(1, Math.floor(priceCents / 2))))},${qty},${price}`;
    case 'negativeSales': return `${money(-qty * priceCents)},${qty},${price}`;
    case 'zeroSales': return `0,${qty},${price}`;
    case 'missingSales': return `,${qty},${price}`;
    case 'negativePrice': return `${sales},${qty},${money(-priceCents)}`;
    case 'missingPrice': return `${sales},${qty},`;
  }
}

/** Whole cents written as the export writes money: `3578`, `19.99`, `-0.50`. */
function money(cents: number): string {
  const abs = Math.abs(cents);
  const units = `${cents < 0 ? '-' : ''}${Math.floor(abs / 100)}`;
  return abs % 100 === 0 ? units : `${units}.${String(abs % 100).padStart(2, '0')}`;
}

// ---------------------------------------------------------------- erp customers

/** Birthdates: mostly 1940–1990; a few impossible ones. */
const BIRTH_FIRST_DAY = dayNumber('1940-01-01');
const BIRTH_DAYS = dayNumber('1990-12-31') - BIRTH_FIRST_DAY;
const REFERENCE_DAY = dayNumber(SAMPLE_REFERENCE_DATE);

function* erpCustomerRows(world: World): Generator<string> {
  const rng = streamRng(world.seed, STREAM.erpCustomers);
  const birth = new DirtPicker(rng, SAMPLE_DIRT_RATES.erpBirthdate, 10);
  const gender = new DirtPicker(rng, SAMPLE_DIRT_RATES.erpGender, 60);
  const dates = isoDays(BIRTH_FIRST_DAY, BIRTH_DAYS + 1);
  for (let i = 0; i < world.customers; i++) {
    const id = customerId(i);
    const cid = rng.chance(0.6) ? 'NAS' + customerKey(id) : customerKey(id);
    yield `${cid},${birthdate(rng, birth.kind(i), dates)},${erpGender(rng, gender.kind(i), isMale(world, id))}\n`;
  }
}

function birthdate(rng: Rng, dirt: keyof typeof SAMPLE_DIRT_RATES.erpBirthdate | undefined, dates: readonly string[]): string {
  if (dirt === 'future') return rng.chance(0.2) ? `9999-${rng.pick(['01', '06', '09', '11'])}-${rng.int(10, 28)}` : isoDate(REFERENCE_DAY + rng.int(30, 45 * 365));
  if (dirt === 'ancient') return isoDate(dayNumber('1900-01-01') + rng.int(0, 20 * 365));
  return dates[rng.int(0, BIRTH_DAYS)];
}

function erpGender(rng: Rng, dirt: keyof typeof SAMPLE_DIRT_RATES.erpGender | undefined, male: boolean): string {
  switch (dirt) {
    case undefined: return male ? 'Male' : 'Female';
    case 'blank': return rng.chance(0.9) ? '' : ' ';
    case 'letter': return male ? 'M' : 'F';
    case 'upper': return male ? 'MALE' : 'FEMALE';
    case 'padded': return male ? 'M ' : ' F ';
  }
}

// ---------------------------------------------------------------- erp locations

/** Country shares and how each is spelled (the ERP mixes codes and names). */
const COUNTRIES: readonly { share: number; spellings: readonly (readonly [string, number])[] }[] = [
  { share: 0.4, spellings: [['United States', 0.45], ['USA', 0.35], ['US', 0.2]] },
  { share: 0.19, spellings: [['Australia', 1]] },
  { share: 0.1, spellings: [['Germany', 0.68], ['DE', 0.32]] },
  { share: 0.105, spellings: [['United Kingdom', 1]] },
  { share: 0.1, spellings: [['France', 1]] },
  { share: 0.085, spellings: [['Canada', 1]] },
  { share: 0.02, spellings: [['Netherlands', 0.7], ['NL', 0.3]] },
];

function* locationRows(world: World): Generator<string> {
  const rng = streamRng(world.seed, STREAM.locations);
  const dirt = new DirtPicker(rng, SAMPLE_DIRT_RATES.erpCountry, 10);
  for (let i = 0; i < world.customers; i++) {
    const key = customerKey(customerId(i));
    yield `${key.slice(0, 2)}-${key.slice(2)},${country(rng, dirt.kind(i))}\n`;
  }
}

function weighted<T>(rng: Rng, items: readonly T[], weightOf: (item: T) => number): T {
  let u = rng.float();
  for (const item of items) {
    u -= weightOf(item);
    if (u < 0) return item;
  }
  return items[items.length - 1];
}

function country(rng: Rng, dirt: keyof typeof SAMPLE_DIRT_RATES.erpCountry | undefined): string {
  const spellings = weighted(rng, COUNTRIES, (c) => c.share).spellings;
  const name = weighted(rng, spellings, (s) => s[1])[0];
  if (dirt === 'blank') return '';
  if (dirt === 'spaces') return ' '.repeat(rng.int(1, 3));
  if (dirt === 'padded') return csv(pad(rng, name));
  return name;
}

// ---------------------------------------------------------------- erp categories

function* categoryRows(): Generator<string> {
  for (const s of SUBCATEGORIES) yield `${s.id},${csv(s.cat)},${csv(s.sub)},${s.maintenance}\n`;
}
