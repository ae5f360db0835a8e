/** The UI state kept between visits: the page and its filters, as the location hash. */
import type { KvStore } from './kv.ts';
import { KEYS, type UiState } from './schema.ts';

export async function loadUiState(store: KvStore): Promise<UiState | undefined> {
  return store.read((tx) => tx.get<UiState>(KEYS.ui));
}

export async function saveUiState(store: KvStore, hash: string): Promise<void> {
  const state: UiState = { hash, savedAt: Date.now() };
  await store.write((tx) => tx.put(KEYS.ui, state));
}
