/**
 * Preloaded into a command-line run (`node --import tsx --import ./tests/helpers/frozen-clock.ts`)
 * to stop the clock: `Date.now()` and `new Date()` always give the same instant, so the
 * files that carry the time of a run (run.json, README.txt, the ZIP entries, kpis.xlsx)
 * come out the same on every run, and two runs can be compared byte for byte.
 */
export const FROZEN_AT = Date.UTC(2026, 1, 1, 12, 0, 0);

const RealDate = Date;

class FrozenDate extends RealDate {
  constructor(...args: unknown[]) {
    if (args.length === 0) super(FROZEN_AT);
    else super(...(args as [number]));
  }

  static override now(): number {
    return FROZEN_AT;
  }
}

globalThis.Date = FrozenDate as DateConstructor;
