/**
 * A workbook's shared strings kept as UTF-8 bytes in one growing buffer with an offset per
 * string, not as JavaScript strings: a large export has millions of distinct texts (order
 * numbers, customer keys), and a string object per text costs several times its bytes.
 * A cell's text is decoded when its row is written.
 */
export class StringTable {
  #bytes = new Uint8Array(1 << 16);
  #ends = new Float64Array(1 << 12);
  #size = 0;
  #used = 0;
  readonly #encoder = new TextEncoder();
  readonly #decoder = new TextDecoder();

  get length(): number {
    return this.#size;
  }

  push(text: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    while (this.#used + text.length * 3 > this.#bytes.length) this.#bytes = grown(this.#bytes, this.#bytes.length * 2);
    this.#used += this.#encoder.encodeInto(text, this.#bytes.subarray(this.#used)).written;
    if (this.#size === this.#ends.length) this.#ends = grown(this.#ends, this.#ends.length * 2);
    this.#ends[this.#size++] = this.#used;
  }

  /** The text at `index`, or undefined past the end. */
  at(index: number): string | undefined {
    if (!(index >= 0 && index < this.#size) || !Number.isInteger(index)) return undefined;
    const start = index === 0 ? 0 : this.#ends[index - 1];
    return this.#decoder.decode(this.#bytes.subarray(start, this.#ends[index]));
  }
}

function grown<T extends Uint8Array | Float64Array>(array: T, length: number): T {
  const next = new (array.constructor as new (n: number) => T)(length);
  next.set(array);
  return next;
}
