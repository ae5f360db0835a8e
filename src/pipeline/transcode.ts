/**
 * Turns a non-UTF-8 file into UTF-8 as a stream, so DuckDB (which reads UTF-8)
 * never shows mojibake. Works in browsers and Node (TextDecoderStream is in both).
 */
import type { Encoding } from './csv-inspect.ts';

export function toUtf8Stream(bytes: ReadableStream<Uint8Array>, encoding: Encoding): ReadableStream<Uint8Array> {
  if (encoding === 'utf-8') return bytes;
  // The decoder drops the byte order mark; the encoder writes none.
  return bytes
    .pipeThrough(new TextDecoderStream(encoding) as unknown as TransformStream<Uint8Array, string>)
    .pipeThrough(new TextEncoderStream());
}

/** The same for bytes already in memory. */
export function toUtf8Bytes(bytes: Uint8Array, encoding: Encoding): Uint8Array {
  if (encoding === 'utf-8') return bytes;
  return new TextEncoder().encode(new TextDecoder(encoding).decode(bytes));
}
