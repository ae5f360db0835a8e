/** Source files are known by their SHA-256 whatever their size: large ones are hashed as a stream. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fileSha256, ONE_PIECE_BYTES, oneShotSha256, streamedSha256 } from '../../src/shared/file-digest.ts';
import { inputsToStore } from '../../src/storage/input-files.ts';
import { sha256 } from '../../src/workers/run/read-inputs.ts';

const nodeSha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Pseudo-random bytes, so a digest that skips or repeats a piece would differ. */
function bytes(n: number, seed = 1): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) out[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
  return out;
}

describe('file digests', () => {
  it('gives the same SHA-256 streamed, in one piece and as Node computes it', async () => {
    const data = bytes(3 * 1024 * 1024 + 17);
    const blob = new Blob([data.subarray(0, 1000), data.subarray(1000)]);
    expect(await streamedSha256(blob)).toBe(nodeSha(data));
    expect(await oneShotSha256(blob)).toBe(nodeSha(data));
    expect(await streamedSha256(new Blob([]))).toBe(nodeSha(new Uint8Array(0)));
  });

  it('gives a file over 256 MiB a digest, the same for the same content in another run', { timeout: 120_000 }, async () => {
    const piece = bytes(1024 * 1024, 7);
    const parts = Array.from({ length: 257 }, () => piece);
    const first = new File(parts, 'sales_details.csv');
    const again = new File(parts, 'sales_details (1).csv');
    expect(first.size).toBeGreaterThan(Math.max(256 * 1024 * 1024, ONE_PIECE_BYTES));
    const digest = await sha256(first);
    const hash = createHash('sha256');
    for (const p of parts) hash.update(p);
    expect(digest).toBe(hash.digest('hex'));
    expect(await fileSha256(again)).toBe(digest);
    const [a] = await inputsToStore('run-1', [first], sha256);
    const [b] = await inputsToStore('run-2', [again], sha256);
    expect(a.ref.key).toBe(`inputs/sha256-${digest}`);
    expect(b.ref.key, 'one stored copy for both runs').toBe(a.ref.key);
  });
});
