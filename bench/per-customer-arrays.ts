/**
 * What the per-customer figures of a date range would cost outside SQL (a design measurement,
 * no app code): orders sorted by day as typed arrays, as many as at scale 100 (2.77 M orders,
 * 1.03 M buyers, customers drawn at random, so every access misses the cache as real keys do);
 * a range of 1.37 M orders found by two binary searches, then each buyer's orders and sales
 * added into arrays indexed by customer, the distribution by number of orders and the top 20.
 * The same figures in the engine take 110–135 ms per chart in Node (bench/README.md).
 *   npx tsx bench/per-customer-arrays.ts [--rounds 7]
 */
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '7' } } });
const ORDERS = 2_770_000;
const BUYERS = 1_034_699;
const ORDERS_PER_DAY = 2_000;

let seed = 7;
const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
const customer = new Int32Array(ORDERS);
const sales = new Float64Array(ORDERS);
const day = new Int32Array(ORDERS);
for (let i = 0; i < ORDERS; i++) {
  customer[i] = Math.floor(random() * BUYERS);
  sales[i] = Math.round(random() * 300_000) / 100;
  day[i] = Math.floor(i / ORDERS_PER_DAY);
}

/** The first index whose day is at least `value`. */
function lowerBound(days: Int32Array, value: number): number {
  let lo = 0;
  let hi = days.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (days[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const sum = new Float64Array(BUYERS);
const count = new Int32Array(BUYERS);
for (let round = 0; round < Number(values.rounds); round++) {
  const started = performance.now();
  sum.fill(0);
  count.fill(0);
  const from = lowerBound(day, 400);
  const to = lowerBound(day, 400 + 686);
  for (let i = from; i < to; i++) {
    const c = customer[i];
    sum[c] += sales[i];
    count[c]++;
  }
  const accumulated = performance.now() - started;
  // Customers and their sales by number of orders (orders per customer, repeat customers).
  const byOrders = new Int32Array(256);
  const salesByOrders = new Float64Array(256);
  let buyers = 0;
  for (let c = 0; c < BUYERS; c++) {
    const k = count[c];
    if (k === 0) continue;
    buyers++;
    byOrders[Math.min(k, 255)]++;
    salesByOrders[Math.min(k, 255)] += sum[c];
  }
  // The top 20 by sales, ties by customer.
  const top: number[] = [];
  for (let c = 0; c < BUYERS; c++) {
    if (count[c] === 0) continue;
    if (top.length === 20 && sum[c] <= sum[top[19]]) continue;
    top.push(c);
    top.sort((x, y) => sum[y] - sum[x] || x - y);
    top.length = Math.min(top.length, 20);
  }
  const ms = performance.now() - started;
  console.log(`round ${round + 1}: ${to - from} orders, ${buyers} buyers: ${ms.toFixed(1)} ms (adding up ${accumulated.toFixed(1)} ms); top ${sum[top[0]].toFixed(2)}`);
}
