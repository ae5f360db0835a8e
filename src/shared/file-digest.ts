/**
 * The SHA-256 of a file, hex, whatever its size: the same content always gets the same
 * digest, so a source file used by many runs is stored once. Small files are hashed in
 * one piece by WebCrypto (native); larger ones are read as a stream and fed piece by
 * piece to an incremental SHA-256 (WebCrypto has none), so no file is held whole in memory.
 * The incremental one is hash-wasm's: 2.3× the speed of a JavaScript SHA-256 on a 377 MB
 * file (bench/README.md), and the engine's CSP already allows WebAssembly.
 */
import { createSHA256 } from 'hash-wasm';
import { hexOf } from './hex.ts';

/** Files up to this size are read whole and hashed natively; larger ones are streamed. */
export const ONE_PIECE_BYTES = 64 * 1024 * 1024;

/** An incremental SHA-256, fed chunk by chunk (e.g. by a pass that reads the file for another reason). */
export interface Sha256Stream {
  update(chunk: Uint8Array): void;
  /** The digest of everything fed, hex. */
  hex(): string;
}

export async function sha256Stream(): Promise<Sha256Stream> {
  const hasher = await createSHA256();
  hasher.init();
  return { update: (chunk) => void hasher.update(chunk), hex: () => hasher.digest('hex') };
}

const known = new WeakMap<Blob, Promise<string>>();

/** The file's SHA-256, computed once per Blob (a run asks for it when it records and when it reads the file). */
export function fileSha256(file: Blob): Promise<string> {
  let digest = known.get(file);
  if (!digest) {
    digest = file.size <= ONE_PIECE_BYTES ? oneShotSha256(file) : streamedSha256(file);
    known.set(file, digest);
    digest.catch(() => known.delete(file));
  }
  return digest;
}

/** WebCrypto's digest of the whole file at once. */
export async function oneShotSha256(file: Blob): Promise<string> {
  return hexOf(new Uint8Array(await crypto.subtle.digest('SHA-256', await file.arrayBuffer())));
}

/** The digest of the file read as a stream: memory stays at one piece of the stream. */
export async function streamedSha256(file: Blob): Promise<string> {
  const hash = await sha256Stream();
  const reader = file.stream().getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    hash.update(value);
  }
  return hash.hex();
}
