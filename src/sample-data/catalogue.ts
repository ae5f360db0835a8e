/**
 * The product catalogue of the sample: subcategories with their product names, colours,
 * sizes, costs and price points, each product's history of versions; the CRM products
 * file and the ERP categories file are written from it.
 */
import type { Rng } from './random.ts';
import { DirtPicker, shuffle, streamRng, STREAM } from './random.ts';
import { csv, dayNumber, isoDate } from './values.ts';
import { SAMPLE_DIRT_RATES, type World } from './world.ts';

export type ProductLine = 'M' | 'R' | 'S' | 'T';

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

export interface HistoryRow {
  start: number;
  /** As written in the export, untrusted. */
  end: string;
  cost: number | undefined;
  line: string;
}

export interface Product {
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

export function makeProducts(rng: Rng): Product[] {
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

/** A lookup table with each index repeated in proportion to its weight. */
export function weightSlots(weights: number[], size: number): Uint16Array {
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

export function* productRows(world: World): Generator<string> {
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

export function* categoryRows(): Generator<string> {
  for (const s of SUBCATEGORIES) yield `${s.id},${csv(s.cat)},${csv(s.sub)},${s.maintenance}\n`;
}
