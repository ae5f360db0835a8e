/// <reference types="vite-plugin-pwa/client" />
/**
 * The service worker (vite-plugin-pwa / Workbox): it precaches the whole app, the
 * DuckDB wasm included, so the app starts and runs with no network after one visit.
 * A new version waits until the user says so, and never replaces the page while a
 * job (a run, a re-run, a download, a console query) is under way.
 */
import { registerSW } from 'virtual:pwa-register';
import type { EngineClient } from '../engine-client.svelte.ts';

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

  #client: EngineClient;
  #apply?: () => Promise<void>;
  #started = false;

  constructor(client: EngineClient) {
    this.#client = client;
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

  /** What an update would cut short, in words ("Pipeline run, Console query"); empty when nothing runs. */
  get waitingFor(): string {
    const labels = this.#client.jobs.map((j) => j.label);
    return labels.filter((label, i) => labels.indexOf(label) === i).join(', ');
  }

  /** Switches to the new version: the page reloads. Refused while a job is under way. */
  async apply(): Promise<void> {
    if (this.#busy() || !this.#apply) return;
    // Workbox reloads only pages that were controlled when they registered: a first visit was not.
    navigator.serviceWorker.addEventListener('controllerchange', () => this.#reloadWhenIdle(), { once: true });
    await this.#apply();
  }

  #busy(): boolean {
    return this.#client.running || this.#client.jobs.length > 0;
  }

  #reloadWhenIdle(): void {
    if (!this.#busy()) {
      location.reload();
      return;
    }
    this.reloadPending = true;
    const timer = setInterval(() => {
      if (this.#busy()) return;
      clearInterval(timer);
      location.reload();
    }, 1000);
  }
}
