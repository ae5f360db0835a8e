/**
 * Candidate pipeline changes, measured WITHOUT editing src/ or models/: an engine
 * wrapper adds statements around the ones the runner sends. Used by run-one.ts and probe.ts
 * (`--variant a,b`), so a proposal can be benchmarked like the shipped pipeline.
 */
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Row, SqlEngine, SqlValue } from '../src/duckdb/sql-engine.ts';

// Earlier candidates now shipped: the compressed stage catalog (stage.ts) and
// kpi.sales_by_product grouped by product_key alone.
export const VARIANTS = {
  /** runner: drop bronze.* once silver and rejects are built (before the first gold model). */
  'drop-bronze': 'bronze tables dropped before gold',
  /** stage.ts: the run's catalog without `(compress)`. */
  'no-compress': 'stage catalog attached without (compress)',
  /** stage.ts: the run's catalog in a database file (a temporary file; DuckDB can evict its blocks). */
  'file-stage': 'stage catalog in a temporary database file',
  /** engine setting: results without ORDER BY may come in any order. */
  'no-insertion-order': 'set preserve_insertion_order = false',
} as const;
export type Variant = keyof typeof VARIANTS;

export function parseVariants(list: string | undefined): Variant[] {
  const names = (list ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  for (const n of names) if (!(n in VARIANTS)) throw new Error(`unknown variant ${n}; known: ${Object.keys(VARIANTS).join(', ')}`);
  return names as Variant[];
}

export class VariantEngine implements SqlEngine {
  private readonly bronze = new Set<string>();
  private settingsDone = false;

  constructor(readonly inner: SqlEngine, readonly variants: readonly Variant[]) {}

  /** `sql` as the variants change it (the stage catalog's attach). */
  rewrite(sql: string): string {
    const attach = /^attach ':memory:' as (stage_\d+) \(compress\);/.exec(sql);
    if (!attach) return sql;
    if (this.variants.includes('no-compress')) return sql.replace(' (compress)', '');
    if (this.variants.includes('file-stage')) {
      const file = path.join(tmpdir(), `bench-${process.pid}-${attach[1]}.db`);
      process.once('exit', () => {
        rmSync(file, { force: true });
        rmSync(`${file}.wal`, { force: true });
      });
      return sql.replace(`':memory:' as ${attach[1]} (compress)`, `'${file}' as ${attach[1]}`);
    }
    return sql;
  }

  /** Statements to run before `sql` (none, or the bronze drops). */
  before(sql: string): string[] {
    if (this.variants.includes('no-insertion-order') && !this.settingsDone) {
      this.settingsDone = true;
      return ['set preserve_insertion_order = false'];
    }
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

  async execOne(sql: string): Promise<void> {
    for (const s of this.before(sql)) await this.inner.exec(s);
    await this.inner.execOne(this.rewrite(sql));
  }

  query<T extends Row = Row>(sql: string, params?: SqlValue[]): Promise<T[]> {
    return this.inner.query<T>(sql, params);
  }

  copyToBytes(select: string, options: string): Promise<Uint8Array> {
    return this.inner.copyToBytes(select, options);
  }
}
