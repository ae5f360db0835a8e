/**
 * Web Locks, shared by every tab and worker of the app's origin. They are released
 * when the context holding them ends (tab closed, worker killed), which is what makes
 * them useful here: "is that run still alive?", "which tab owns the store?".
 */

const PREFIX = 'retail-workbench/';

/** Held for its whole life by the tab that writes to the store. */
export const OWNER_LOCK = `${PREFIX}owner`;
/** Held by the worker while a run is under way. */
export const runLockName = (runId: string) => `${PREFIX}run/${runId}`;
/** Held by a worker for its life, so its tab notices when it dies. */
export const lifeLockName = (id: string) => `${PREFIX}engine/${id}`;

export interface HeldLock {
  /** Gives the lock back. */
  release(): void;
  /** Settles when the lock is gone: released, or taken by another tab (`steal`). */
  lost: Promise<void>;
}

/** True where the Web Locks API exists (every current browser; not Node). */
export function locksAvailable(): boolean {
  return typeof navigator !== 'undefined' && 'locks' in navigator && navigator.locks !== undefined;
}

/**
 * Requests a lock and keeps it until `release()` (or until the context ends).
 * Resolves with null when `ifAvailable` is set and another context holds it.
 */
export function holdLock(name: string, options: LockOptions = {}): Promise<HeldLock | null> {
  return new Promise((resolve, reject) => {
    let release = () => {};
    const kept = new Promise<void>((r) => (release = r));
    const request = navigator.locks.request(name, options, async (lock) => {
      if (!lock) {
        resolve(null);
        return;
      }
      resolve({ release, lost });
      await kept;
    });
    const lost = request.then(() => undefined, () => undefined);
    request.catch(reject);
  });
}

/** Resolves once nobody else holds the lock (e.g. the worker holding it has died). */
export function whenFree(name: string, signal?: AbortSignal): Promise<void> {
  return navigator.locks.request(name, { signal }, () => undefined);
}

/** Names of the locks held right now, by any context of this origin. */
export async function heldLocks(): Promise<Set<string>> {
  if (!locksAvailable()) return new Set();
  const { held = [] } = await navigator.locks.query();
  return new Set(held.map((l) => l.name ?? ''));
}
