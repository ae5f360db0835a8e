/**
 * Candidate pipeline changes, measured WITHOUT editing src/ or models/: an engine
 * wrapper rewrites the statements the runner sends. Used by run-one.ts and probe.ts
 * (`--variant a,b`), so a proposal can be benchmarked like the shipped pipeline.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Row, SqlEngine, SqlValue } from '../src/pipeline/engine.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));

export const VARIANTS = {
  /** stage.ts: `attach ':memory:' as stage_N (compress)`: compressed in-memory tables. */
  compress: 'stage catalog attached with (compress)',
  /** runner: drop bronze.* once silver and rejects are built (before the first gold model). */
  'drop-bronze': 'bronze tables dropped before gold',
  /** models/kpi/sales_by_product.sql grouped by product_key only, descriptive columns joined after. */
  'product-by-key': 'kpi.sales_by_product from bench/alt/sales_by_product.sql',
} as const;
export type Variant = keyof typeof VARIANTS;

export function parseVariants(list: string | undefined): Variant[] {
  const names = (list ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  for (const n of names) if (!(n in VARIANTS)) throw new Error(`unknown variant ${n}; known: ${Object.keys(VARIANTS).join(', ')}`);
  return names as Variant[];
}

export class VariantEngine implements SqlEngine {
  private readonly bronze = new Set<string>();
  private readonly replace = new Map<string, string>();

  constructor(readonly inner: SqlEngine, readonly variants: readonly Variant[]) {
    if (variants.includes('product-by-key')) {
      this.replace.set('kpi.sales_by_product', readFileSync(path.join(HERE, 'alt', 'sales_by_product.sql'), 'utf8'));
    }
  }

  rewrite(sql: string): string {
    if (this.variants.includes('compress')) sql = sql.replace(/attach ':memory:' as (stage_\d+)/, "attach ':memory:' as $1 (compress)");
    const target = /^create table (\w+\.\w+) as\n/.exec(sql)?.[1];
    if (target && this.replace.has(target)) sql = `create table ${target} as\n${this.replace.get(target)}`;
    return sql;
  }

  /** Statements to run before `sql` (none, or the bronze drops). */
  before(sql: string): string[] {
    const m = /^create table (bronze\.\w+)/.exec(sql);
    if (m) this.bronze.add(m[1]);
    if (this.variants.includes('drop-bronze') && this.bronze.size && /^create table gold\./.test(sql)) {
      const drops = [...this.bronze].map((t) => `drop table ${t}`);
      this.bronze.clear();
      return drops;
    }
    return [];
  }

  async exec(sql: string): Promise<void> {
    for (const s of this.before(sql)) await this.inner.exec(s);
    await this.inner.exec(this.rewrite(sql));
  }

  query<T extends Row = Row>(sql: string, params?: SqlValue[]): Promise<T[]> {
    return this.inner.query<T>(sql, params);
  }

  copyToBytes(select: string, options: string): Promise<Uint8Array> {
    return this.inner.copyToBytes(select, options);
  }
}
