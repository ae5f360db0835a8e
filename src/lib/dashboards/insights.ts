/**
 * The insight sentences: each one is generated from figures the engine computed
 * for the current run; no sentence or number is written by hand.
 */
import type { InsightFigure } from '../../workers/engine.worker.ts';
import { formatCompact, formatMonth, formatShare } from './format.ts';

const ratio = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

function listInWords(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** One sentence per insight the figures support, in a fixed order. */
export function insightSentences(figures: InsightFigure[]): string[] {
  const one = (kind: InsightFigure['insight']) => figures.find((f) => f.insight === kind);
  const sentences: string[] = [];

  const line = one('product_line');
  if (line) sentences.push(`${line.name} is the largest product line, with ${formatShare(line.share)} of sales (${formatCompact(line.value)}).`);

  const sub = one('subcategory_units');
  if (sub) sentences.push(`${sub.name} sold the most units: ${formatCompact(sub.value)}, ${formatShare(sub.share)} of all units sold.`);

  const segment = one('top_segment');
  if (segment) {
    sentences.push(`${segment.name}-value customers are ${formatShare(segment.other)} of buyers and bring ${formatShare(segment.share)} of revenue.`);
  }

  const country = one('country');
  if (country) sentences.push(`${country.name} is the strongest country: ${formatCompact(country.value)} in sales, ${formatShare(country.share)} of the total.`);

  const peaks = figures.filter((f) => f.insight === 'peak_month');
  if (peaks.length) {
    const months = peaks.map((p) => `${formatMonth(p.name)} (${formatCompact(p.value)})`);
    sentences.push(`Peak month${peaks.length > 1 ? 's' : ''} by sales: ${listInWords(months)}.`);
  }

  const repeat = figures.find((f) => f.insight === 'customer_type' && f.name === 'repeat');
  const once = figures.find((f) => f.insight === 'customer_type' && f.name === 'one-time');
  if (repeat && once && repeat.value !== null && once.value) {
    sentences.push(
      `Repeat customers (${formatShare(repeat.other)} of buyers) bring ${formatShare(repeat.share)} of revenue, ` +
        `${ratio.format(repeat.value / once.value)} times what one-time customers bring.`,
    );
  }
  return sentences;
}
