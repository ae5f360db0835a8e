/** Bytes as lowercase hex, two digits each (digests, binary cell values). */
export function hexOf(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
