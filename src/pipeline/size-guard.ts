/**
 * Says, before a run starts, whether the inputs fit in the in-browser engine.
 * DuckDB-WASM is wasm32: its heap can never exceed 4 GiB, and the browser tab
 * shares the device's memory with everything else.
 */
export const WASM_HEAP_LIMIT = 4 * 1024 ** 3;

/** DuckDB-WASM's default `memory_limit` (3.1 GiB): the limit a run actually meets first. */
export const ENGINE_MEMORY_LIMIT = 3.1 * 1024 ** 3;

/**
 * Peak engine memory per byte of input over a whole run. `bench/probe.ts` measured the
 * wasm heap at about 85 MiB + 3.0 bytes per input byte (scale 10: 240 MiB for 54 MB;
 * scale 100: 1,685 MiB for 555 MB, bench/README.md); one more byte per byte leaves room
 * for the previous results, kept until the new run succeeds (0.7 bytes per byte at
 * scale 100), and the dashboards' cubes.
 */
export const PEAK_BYTES_PER_INPUT_BYTE = 4;
/** The engine's own memory before any data (the wasm module, buffers, caches). */
export const FIXED_BYTES = 128 * 1024 ** 2;

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
 */
export function assessInputSize(totalBytes: number, deviceMemoryGiB?: number): SizeVerdict {
  const estimate = FIXED_BYTES + totalBytes * PEAK_BYTES_PER_INPUT_BYTE;
  const device = deviceMemoryGiB ? deviceMemoryGiB * 1024 ** 3 * 0.5 : Infinity;
  const budget = Math.min(ENGINE_MEMORY_LIMIT, device);
  if (estimate > budget) {
    return {
      verdict: 'too-large',
      estimate,
      message:
        `the files total ${gb(totalBytes)}; a run needs about ${gb(estimate)} of memory, more than the in-browser engine ` +
        `can use here (about ${gb(budget)}). Nothing was run. Use the command line (npm run pipeline) on a bigger machine, ` +
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

/** `navigator.deviceMemory` in GiB where the browser tells it (Chromium; capped at 8), else undefined. */
export function deviceMemoryGiB(): number | undefined {
  const value = (globalThis.navigator as (Navigator & { deviceMemory?: number }) | undefined)?.deviceMemory;
  return typeof value === 'number' && value > 0 ? value : undefined;
}
