/**
 * Says, before a run starts, whether the inputs fit in the in-browser engine.
 * DuckDB-WASM is wasm32: its heap can never exceed 4 GiB, and the browser tab
 * shares the device's memory with everything else.
 */
export const WASM_HEAP_LIMIT = 4 * 1024 ** 3;

/**
 * Peak engine memory per byte of input over a whole run, measured with `npm run bench`
 * (bronze keeps every value as text; silver, gold and the previous results sit beside it).
 */
export const PEAK_BYTES_PER_INPUT_BYTE = 4;

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
  const estimate = totalBytes * PEAK_BYTES_PER_INPUT_BYTE;
  const device = deviceMemoryGiB ? deviceMemoryGiB * 1024 ** 3 * 0.5 : Infinity;
  const budget = Math.min(WASM_HEAP_LIMIT * 0.9, device);
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
