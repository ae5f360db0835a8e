/**
 * The current page, kept in the URL hash so reload, Back and bookmarks work:
 * `#/<page>[/<sub>][?<params>]`, e.g. `#/dashboards/executive?country=Germany`.
 */

export const PAGES = [
  { id: 'data', label: 'Data' },
  { id: 'run', label: 'Run' },
  { id: 'dashboards', label: 'Dashboards' },
  { id: 'tables', label: 'Tables' },
  { id: 'history', label: 'History' },
  { id: 'console', label: 'Console' },
  { id: 'models', label: 'Models' },
] as const;

export type PageId = (typeof PAGES)[number]['id'];

export interface Route {
  page: PageId;
  /** The part after the page, e.g. a dashboard id; '' when absent. */
  sub: string;
  params: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const [path, query = ''] = hash.replace(/^#\/?/, '').split('?', 2);
  const [id, ...rest] = path.split('/');
  const page = PAGES.find((p) => p.id === id)?.id ?? 'data';
  // Plain on purpose: a route is replaced whole, never changed in place (the rune is #route).
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  return { page, sub: page === id ? rest.join('/') : '', params: new URLSearchParams(query) };
}

export function routeHash(page: PageId, sub = '', params?: URLSearchParams): string {
  const query = params?.toString();
  return `#/${page}${sub ? `/${sub}` : ''}${query ? `?${query}` : ''}`;
}

export class Router {
  #route = $state.raw<Route>(parseHash(location.hash));
  /** Bumped on every page change after the first, so the page can take focus. */
  navigations = $state(0);

  constructor() {
    window.addEventListener('hashchange', () => {
      // Only #/page hashes are routes; other anchors (#main) stay in-page links.
      if (!location.hash.startsWith('#/')) return;
      const next = parseHash(location.hash);
      const pageChanged = next.page !== this.#route.page || next.sub !== this.#route.sub;
      this.#route = next;
      if (pageChanged) this.navigations++;
    });
  }

  get page(): PageId {
    return this.#route.page;
  }

  get sub(): string {
    return this.#route.sub;
  }

  /** A copy of the hash's query parameters (e.g. dashboard filters). */
  get params(): URLSearchParams {
    // A copy for the caller to read or edit and pass to setParams; changing it changes nothing.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    return new URLSearchParams(this.#route.params);
  }

  href(id: PageId, sub = ''): string {
    return routeHash(id, sub);
  }

  go(id: PageId, sub = ''): void {
    if (this.page === id && this.sub === sub) return;
    location.hash = routeHash(id, sub, id === this.page ? this.#route.params : undefined);
  }

  /** Replaces the query parameters without a new history entry or a page change. */
  setParams(params: URLSearchParams): void {
    const hash = routeHash(this.page, this.sub, params);
    history.replaceState(history.state, '', hash);
    this.#route = parseHash(hash);
  }
}

export const router = new Router();
