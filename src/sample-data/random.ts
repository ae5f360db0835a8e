/**
 * The sample data's randomness: seeded pure-rand streams (one per file, so each file can
 * be produced alone), a hash for traits shared across files, and the picker of dirt.
 */
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { JumpableRandomGenerator } from 'pure-rand/types/JumpableRandomGenerator';

/** A thin mutable wrapper over a pure-rand generator. */
export class Rng {
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
export const STREAM = { world: 0, customers: 1, products: 2, sales: 3, erpCustomers: 4, locations: 5, categories: 6 } as const;

export function streamRng(seed: number, stream: number): Rng {
  const gen = xoroshiro128plus(seed);
  for (let i = 0; i <= stream; i++) gen.jump();
  return new Rng(gen);
}

/** A 32-bit integer hash (murmur3 finaliser), for per-customer traits shared across files. */
export function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * Picks at most one kind of dirt per row from a group of exclusive kinds. One draw per
 * row whatever happens, so the stream stays aligned; each kind is also forced on one
 * row near `firstForcedRow` (rows 17 apart, so forced rows never collide).
 */
export class DirtPicker<K extends string> {
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

export function shuffle<T>(rng: Rng, items: T[]): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [items[i], items[j]] = [items[j], items[i]];
  }
}

export function weighted<T>(rng: Rng, items: readonly T[], weightOf: (item: T) => number): T {
  let u = rng.float();
  for (const item of items) {
    u -= weightOf(item);
    if (u < 0) return item;
  }
  return items[items.length - 1];
}
