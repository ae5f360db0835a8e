/** Source files as stored: keyed by content, so a file used by many runs is kept once. */
import { contentKey, KEYS, type StoredInputRef } from './schema.ts';
import type { InputToStore } from './run-log.ts';

/**
 * Where each file of a run goes. Files with a checksum share one key per content;
 * files too large to checksum get a key of their own run.
 */
export async function inputsToStore(runId: string, files: File[], checksum: (file: File) => Promise<string | undefined>): Promise<InputToStore[]> {
  const out: InputToStore[] = [];
  for (const [i, file] of files.entries()) {
    const sha256 = await checksum(file);
    const ref: StoredInputRef = {
      key: sha256 ? contentKey(sha256) : `${KEYS.inputs}${runId}-${i}`,
      name: file.webkitRelativePath || file.name,
      size: file.size,
      type: file.type,
      lastModified: file.lastModified,
      sha256,
    };
    out.push({ ref, file });
  }
  return out;
}
