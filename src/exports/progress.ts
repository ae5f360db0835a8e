/** Progress, cancelling and pacing of long exports. */
import { CancelledError } from '../duckdb/sql-engine.ts';

/** Where a long export is, sent to the UI a few times a second. */
export interface ExportProgress {
  /** The file being written. */
  file: string;
  /** Rows written to that file so far, and in all. */
  rows: number;
  totalRows: number;
  /** Rows written by the whole export (a package spans many files), and in all. */
  doneRows: number;
  allRows: number;
  /** Bytes produced so far. */
  bytes: number;
}

export interface ExportControl {
  /** True once the user asked to stop. */
  isCancelled?: () => boolean;
  onProgress?: (progress: ExportProgress) => void;
}

/**
 * Called between batches: throws when cancelled, and every `intervalMs` reports
 * progress and yields to the event loop (a macrotask), so a cancel message can arrive.
 */
export class Pacer {
  #last = Date.now();
  readonly #control: ExportControl;
  readonly #intervalMs: number;

  constructor(control: ExportControl, intervalMs = 150) {
    this.#control = control;
    this.#intervalMs = intervalMs;
  }

  async tick(progress: () => ExportProgress, force = false): Promise<void> {
    if (this.#control.isCancelled?.()) throw new CancelledError();
    if (!force && Date.now() - this.#last < this.#intervalMs) return;
    this.#control.onProgress?.(progress());
    await new Promise((resolve) => setTimeout(resolve, 0));
    this.#last = Date.now();
    if (this.#control.isCancelled?.()) throw new CancelledError();
  }
}
