/// <reference types="vite-plugin-pwa/client" />
/**
 * The service worker (vite-plugin-pwa / Workbox): it precaches the whole app, the
 * DuckDB wasm included, so the app starts and runs with no network after one visit.
 * A new version waits until the user says so, and never replaces the page mid-run.
 */
import { registerSW } from 'virtual:pwa-register';
import type { Engine } from '../engine.svelte.ts';

const UPDATE_CHECK_MS = 60 * 60 * 1000;

export class AppUpdate {
  /** A new version is installed and waits for the user's word. */
  waiting = $state(false);
  /** The user dismissed the prompt for this visit. */
  dismissed = $state(false);
  /** Another tab switched to the new version: this one reloads once its run is over. */
  reloadPending = $state(false);
  /** Everything needed is cached: the app now starts with no network. */
  offlineReady = $state(false);
  online = $state(typeof navigator === 'undefined' ? true : navigator.onLine);

  #engine: Engine;
  #apply?: () => Promise<void>;
  #started = false;

  constructor(engine: Engine) {
    this.#engine = engine;
    addEventListener('online', () => (this.online = true));
    addEventListener('offline', () => (this.online = false));
  }

  /** Registers the service worker (once). Not in development, and not where the browser has none. */
  start(): void {
    if (this.#started || import.meta.env.DEV || !('serviceWorker' in navigator)) return;
    this.#started = true;
    this.#apply = registerSW({
      immediate: true,
      onNeedRefresh: () => (this.waiting = true),
      onOfflineReady: () => (this.offlineReady = true),
      onNeedReload: () => this.#reloadWhenIdle(),
      onRegisteredSW: (_url, registration) => {
        if (registration) setInterval(() => navigator.onLine && registration.update().catch(() => undefined), UPDATE_CHECK_MS);
      },
      onRegisterError: () => undefined,
    });
  }

  /** Switches to the new version: the page reloads. Refused while a run is under way. */
  async apply(): Promise<void> {
    if (this.#engine.running || !this.#apply) return;
    // Workbox reloads only pages that were controlled when they registered: a first visit was not.
    navigator.serviceWorker.addEventListener('controllerchange', () => this.#reloadWhenIdle(), { once: true });
    await this.#apply();
  }

  #reloadWhenIdle(): void {
    if (!this.#engine.running) {
      location.reload();
      return;
    }
    this.reloadPending = true;
    const timer = setInterval(() => {
      if (this.#engine.running) return;
      clearInterval(timer);
      location.reload();
    }, 1000);
  }
}
