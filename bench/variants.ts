/**
 * Candidate pipeline changes, measured WITHOUT editing src/ or models/: an engine
 * wrapper adds statements around the ones the runner sends. Used by run-one.ts and probe.ts
 * (`--variant a,b`), so a proposal can be benchmarked like the shipped pipeline.
 */
import type { Row, SqlEngine, SqlValue } from '../src/duckdb/sql-engine.ts';

// Earlier candidates now shipped: the compressed stage catalog (stage.ts) and
// kpi.sales_by_product grouped by product_key alone.
export const VARIANTS = {
  /** runner: drop bronze.* once silver and rejects are built (before the first gold model). */
  'drop-bronze': 'bronze tables dropped before gold',
} as const;
export type Variant = keyof typeof VARIANTS;

export function parseVariants(list: string | undefined): Variant[] {
  const names = (list ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  for (const n of names) if (!(n in VARIANTS)) throw new Error(`unknown variant ${n}; known: ${Object.keys(VARIANTS).join(', ')}`);
  return names as Variant[];
}

export class VariantEngine implements SqlEngine {
  private readonly bronze = new Set<string>();

  constructor(readonly inner: SqlEngine, readonly variants: readonly Variant[]) {}

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
    await this.inner.exec(sql);
  }

  async execOne(sql: string): Promise<void> {
    for (const s of this.before(sql)) await this.inner.exec(s);
    await this.inner.execOne(sql);
  }

  query<T extends Row = Row>(sql: string, params?: SqlValue[]): Promise<T[]> {
    return this.inner.query<T>(sql, params);
  }

  copyToBytes(select: string, options: string): Promise<Uint8Array> {
    return this.inner.copyToBytes(select, options);
  }
}
