/**
 * Says, before a run starts, whether the inputs fit in the in-browser engine.
 * DuckDB-WASM is wasm32: its heap can never exceed 4 GiB, and the browser tab
 * shares the device's memory with everything else.
 */
export const WASM_HEAP_LIMIT = 4 * 1024 ** 3;

/**
 * The wasm heap a run needs, measured in Chromium (`bench/browser.ts`, the dashboards' cubes and
 * the save included; bench/README.md, "How much CSV a tab takes"): 1,434 MiB for 581 MB of CSV
 * (scale 100), 2,751 MiB for 1,169 MB (scale 200), 3,617 MiB for 1,580 MB (scale 270). 144 MiB +
 * 2.4 bytes per byte lies above all three (by 40–144 MiB). DuckDB's own limit is set below the heap's
 * (MEMORY_SETTINGS in src/duckdb/wasm-engine.ts), so the heap's 4 GiB is the budget.
 */
export const RUN_BYTES_PER_INPUT_BYTE = 2.4;
/**
 * The results shown stay in the engine until a new run succeeds: a second run of scale 200 in the
 * same tab took the heap from 2,751 to 3,391 MiB, 0.57 bytes per input byte of those results (at
 * scale 270 only 0.12: the larger figure is taken, as a tab whose heap reaches 4 GiB may be lost).
 */
export const HELD_BYTES_PER_INPUT_BYTE = 0.6;
/** The engine's own memory before any data (the wasm module, buffers, caches). */
export const FIXED_BYTES = 144 * 1024 ** 2;

export interface SizeVerdict {
  verdict: 'ok' | 'large' | 'too-large';
  /** Estimated peak engine memory, bytes. */
  estimate: number;
  /** What will happen, in words (absent when ok). */
  message?: string;
}

const gb = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(1)} GB`;

/**
 * @param totalBytes  the size of all input files
 * @param deviceMemoryGiB  `navigator.deviceMemory` where the browser tells it (capped at 8 by browsers)
 * @param heldInputBytes  the input size of the results the engine holds now (kept until the run succeeds)
 */
export function assessInputSize(totalBytes: number, deviceMemoryGiB?: number, heldInputBytes = 0): SizeVerdict {
  const held = heldInputBytes * HELD_BYTES_PER_INPUT_BYTE;
  const estimate = FIXED_BYTES + totalBytes * RUN_BYTES_PER_INPUT_BYTE + held;
  const device = deviceMemoryGiB ? deviceMemoryGiB * 1024 ** 3 * 0.5 : Infinity;
  const budget = Math.min(WASM_HEAP_LIMIT, device);
  if (estimate > budget) {
    const withoutHeld = held > 0 && estimate - held <= budget
      ? ' It would fit without the results shown, which the engine keeps until a run succeeds: History, then “Clear all data”, frees them (and deletes every stored run).'
      : '';
    return {
      verdict: 'too-large',
      estimate,
      message:
        `the files total ${gb(totalBytes)}; a run needs about ${gb(estimate)} of memory, more than the in-browser engine ` +
        `can use here (about ${gb(budget)}). Nothing was run.${withoutHeld} Use the command line (npm run pipeline) on a bigger machine, ` +
        'or split the sales file (e.g. by year) and run one part at a time',
    };
  }
  if (estimate > budget / 2) {
    return {
      verdict: 'large',
      estimate,
      message: `the files total ${gb(totalBytes)}; the run will need about ${gb(estimate)} of memory and may take minutes`,
    };
  }
  return { verdict: 'ok', estimate };
}

/** The input size of a run's results: what they weigh in the engine while they are held. */
export function resultsInputBytes(report: { inputs: { size: number }[] } | null | undefined): number {
  return report?.inputs.reduce((sum, i) => sum + i.size, 0) ?? 0;
}

/** `navigator.deviceMemory` in GiB where the browser tells it (Chromium; capped at 8), else undefined. */
export function deviceMemoryGiB(): number | undefined {
  const value = (globalThis.navigator as (Navigator & { deviceMemory?: number }) | undefined)?.deviceMemory;
  return typeof value === 'number' && value > 0 ? value : undefined;
}
