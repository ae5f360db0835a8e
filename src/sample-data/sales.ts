/**
 * The CRM sales file of the sample: orders of one to eight lines, more of them each year,
 * most from a loyal fifth of the customers, prices in whole cents, and the kinds of dirt
 * the reference export has (bad dates, inconsistent sales and prices).
 */
import type { Product } from './catalogue.ts';
import { DirtPicker, streamRng, STREAM, type Rng } from './random.ts';
import { dayNumber, isoDays } from './values.ts';
import { customerId, SAMPLE_DIRT_RATES, type World } from './world.ts';

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

export function* salesRows(world: World): Generator<string> {
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
