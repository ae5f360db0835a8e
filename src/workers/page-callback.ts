/**
 * Calls back to the page (a comlink proxy) without waiting for it: the work that reports
 * its progress goes on, and a page gone away (its end of the proxy closed) does not fail it.
 */
export function notifyPage<A extends unknown[]>(callback: ((...args: A) => unknown) | undefined): (...args: A) => void {
  return (...args) => void Promise.resolve(callback?.(...args)).catch(() => undefined);
}
