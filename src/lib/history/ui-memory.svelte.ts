/**
 * Remembers the page and its filters (the location hash) between visits: opening
 * the app without a hash (e.g. the installed app) returns to where the user was.
 */
import { loadUiState, saveUiState } from '../../storage/ui-state.ts';
import { embedSettings } from '../embed/embed-mode.ts';
import { routeHash, type Router } from '../router.svelte.ts';
import { recordStore } from '../../storage/app-store.ts';

const store = recordStore();

const SAVE_DELAY_MS = 400;

async function returnToLastPage(): Promise<void> {
  if (!store || location.hash || new URLSearchParams(location.search).has('sample')) return;
  const saved = await loadUiState(store).catch(() => undefined);
  if (saved?.hash.startsWith('#/') && !location.hash) location.replace(saved.hash);
}

/** Restores the last page when the app opens on no page, then keeps saving it. */
export function rememberPage(router: Router): void {
  const kv = store;
  // An embed shows the page its host chose, and keeps nothing of its own.
  if (!kv || embedSettings.embed) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  void returnToLastPage().finally(() => {
    $effect.root(() => {
      $effect(() => {
        const hash = routeHash(router.page, router.sub, router.params);
        clearTimeout(timer);
        timer = setTimeout(() => void saveUiState(kv, hash).catch(() => undefined), SAVE_DELAY_MS);
      });
    });
  });
}
