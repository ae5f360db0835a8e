/** The current page, kept in the URL hash (#/data, #/run, ...) so reload and Back work. */

export const PAGES = [
  { id: 'data', label: 'Data' },
  { id: 'run', label: 'Run' },
  { id: 'dashboards', label: 'Dashboards' },
  { id: 'tables', label: 'Tables' },
] as const;

export type PageId = (typeof PAGES)[number]['id'];

function fromHash(hash: string): PageId {
  const id = hash.replace(/^#\/?/, '');
  return PAGES.find((p) => p.id === id)?.id ?? 'data';
}

export class Router {
  page = $state<PageId>(fromHash(location.hash));
  /** Bumped on every navigation after the first, so the page can take focus. */
  navigations = $state(0);

  constructor() {
    window.addEventListener('hashchange', () => {
      // Only #/page hashes are routes; other anchors (#main) stay in-page links.
      if (!location.hash.startsWith('#/')) return;
      this.page = fromHash(location.hash);
      this.navigations++;
    });
  }

  href(id: PageId): string {
    return `#/${id}`;
  }

  go(id: PageId): void {
    if (this.page === id) return;
    location.hash = `#/${id}`;
  }
}

export const router = new Router();
