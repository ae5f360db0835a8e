/** A growable byte buffer for writers that emit many small pieces (CSV cells). */
/** Up to this many bytes are copied one by one (no subarray view). */
const SHORT = 48;

export class ByteBuffer {
  #buf: Uint8Array;
  #length = 0;

  constructor(initialSize = 64 * 1024) {
    this.#buf = new Uint8Array(initialSize);
  }

  get length(): number {
    return this.#length;
  }

  byte(value: number): void {
    if (this.#length === this.#buf.length) this.#grow(1);
    this.#buf[this.#length++] = value;
  }

  /** Text known to be ASCII (numbers, dates): one byte per character. */
  ascii(text: string): void {
    const n = text.length;
    if (this.#length + n > this.#buf.length) this.#grow(n);
    const buf = this.#buf;
    let at = this.#length;
    for (let i = 0; i < n; i++) buf[at++] = text.charCodeAt(i);
    this.#length = at;
  }

  /** A safe integer in decimal digits, without making a string. */
  int(value: number): void {
    if (this.#length + 21 > this.#buf.length) this.#grow(21);
    const buf = this.#buf;
    let v = value;
    if (v < 0) {
      buf[this.#length++] = 0x2d;
      v = -v;
    }
    let digits = 1;
    for (let p = 10; p <= v; p *= 10) digits++;
    let at = this.#length + digits;
    this.#length = at;
    do {
      const q = Math.floor(v / 10);
      buf[--at] = 0x30 + (v - q * 10);
      v = q;
    } while (v > 0);
  }

  bytes(source: Uint8Array, start = 0, end = source.length): void {
    const n = end - start;
    if (this.#length + n > this.#buf.length) this.#grow(n);
    if (n > SHORT) {
      this.#buf.set(source.subarray(start, end), this.#length);
      this.#length += n;
      return;
    }
    // Most cells are short: a plain loop beats making a subarray view for each.
    const buf = this.#buf;
    let at = this.#length;
    for (let i = start; i < end; i++) buf[at++] = source[i];
    this.#length = at;
  }

  /** The bytes written so far, as a new array; the buffer starts empty again. */
  take(): Uint8Array {
    const out = this.#buf.slice(0, this.#length);
    this.#length = 0;
    return out;
  }

  #grow(needed: number): void {
    const next = new Uint8Array(Math.max(this.#buf.length * 2, this.#length + needed));
    next.set(this.#buf.subarray(0, this.#length));
    this.#buf = next;
  }
}
