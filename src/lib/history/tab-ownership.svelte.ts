/**
 * Which tab writes to the store: the one holding the owner lock, for its whole life.
 * Another tab of the app is read-only (it shows the saved results and may run, but
 * keeps nothing), can take over, and becomes the owner on its own when the owner closes.
 */
import { holdLock, locksAvailable, OWNER_LOCK, type HeldLock } from '../../storage/locks.ts';

/** checking: not known yet; other-tab: another tab owns the store; lost: it was taken over. */
export type Ownership = 'checking' | 'owner' | 'other-tab' | 'lost';

export class TabOwnership {
  state = $state<Ownership>('checking');
  /** Resolves once the first claim is decided. */
  readonly ready: Promise<void>;
  /** Called when this tab gains or loses the store after the first claim. */
  onchange?: (owner: boolean) => void;

  #held: HeldLock | null = null;
  #waiting: AbortController | undefined;

  constructor(claim = true) {
    this.ready = claim ? this.#claim() : Promise.resolve();
  }

  get owner(): boolean {
    return this.state === 'owner';
  }

  /** Takes the store from the other tab, which becomes read-only. */
  async takeOver(): Promise<void> {
    if (this.owner || !locksAvailable()) return;
    this.#waiting?.abort();
    const held = await holdLock(OWNER_LOCK, { steal: true });
    if (held) this.#own(held, true);
  }

  async #claim(): Promise<void> {
    // Without Web Locks (an insecure origin) there is no way to tell: act as the owner.
    const held = locksAvailable() ? await holdLock(OWNER_LOCK, { ifAvailable: true }).catch(() => null) : undefined;
    if (held === undefined) this.state = 'owner';
    else if (held) this.#own(held, false);
    else {
      this.state = 'other-tab';
      this.#queue();
    }
  }

  #own(held: HeldLock, announce: boolean): void {
    this.#held = held;
    this.state = 'owner';
    if (announce) this.onchange?.(true);
    void held.lost.then(() => {
      if (this.#held !== held) return;
      this.#held = null;
      this.state = 'lost';
      this.onchange?.(false);
      this.#queue();
    });
  }

  /** Waits in line for the lock: granted when the owning tab closes. */
  #queue(): void {
    this.#waiting = new AbortController();
    holdLock(OWNER_LOCK, { signal: this.#waiting.signal })
      .then((held) => held && this.#own(held, true))
      .catch(() => undefined);
  }
}
