import { afterEach, describe, expect, it, vi } from 'vitest';
import { allowedOrigins, loadEmbedConfig, normaliseOrigins } from '../../src/embed/allow-list.ts';
import { isHostMessage, readExportRequest, readFilters, versioned } from '../../src/embed/protocol.ts';
import { appUrl, filtersToQuery, mount, type AppMessage } from '../../src/embed/sdk.ts';

describe('the allow-list', () => {
  it('holds our own origin and the configured ones, normalised', () => {
    const allowed = allowedOrigins('https://app.example', { allowedOrigins: ['https://portal.example/some/page', 'not a url', 'javascript:alert(1)', 42] as unknown as string[] }, '');
    expect([...allowed]).toEqual(['https://app.example', 'https://portal.example']);
  });

  it('takes origins from the URL only where the deployer allows it', () => {
    const search = '?origins=https://evil.example,https://other.example';
    expect([...allowedOrigins('https://app.example', {}, search)]).toEqual(['https://app.example']);
    expect([...allowedOrigins('https://app.example', { allowOriginsFromUrl: true }, search)]).toEqual([
      'https://app.example', 'https://evil.example', 'https://other.example',
    ]);
    expect(normaliseOrigins('https://x.example')).toEqual([]);
  });
});

describe('reading the allow-list', () => {
  afterEach(() => vi.unstubAllGlobals());
  const answer = (respond: () => Promise<Response>) => {
    const calls: { url: string; init: RequestInit }[] = [];
    vi.stubGlobal('fetch', (url: URL, init: RequestInit) => {
      calls.push({ url: String(url), init });
      return respond();
    });
    return calls;
  };
  const url = 'https://app.example/wb/workbench.config.json';

  it('reads it fresh from the network each time: no cache may answer', async () => {
    const calls = answer(async () => Response.json({ allowedOrigins: ['https://portal.example'] }));
    expect(await loadEmbedConfig(url)).toEqual({ config: { allowedOrigins: ['https://portal.example'] }, state: 'read' });
    await loadEmbedConfig(url);
    expect(calls.map((c) => c.init.cache)).toEqual(['no-store', 'no-store']);
    expect(calls.every((c) => c.url.startsWith(`${url}?fresh=`))).toBe(true);
    expect(calls[0].url).not.toBe(calls[1].url);
  });

  it('allows no portal when the list is unknown: offline, timed out, an error status or a broken file', async () => {
    for (const respond of [
      () => Promise.reject(new TypeError('Failed to fetch')),
      () => Promise.reject(new DOMException('timed out', 'TimeoutError')),
      async () => new Response('busy', { status: 503 }),
      async () => new Response('{"allowedOrigins": [', { status: 200 }),
      async () => Response.json(['https://portal.example']),
    ]) {
      answer(respond);
      const { config, state } = await loadEmbedConfig(url);
      expect(state).toBe('unavailable');
      expect([...allowedOrigins('https://app.example', config, '')]).toEqual(['https://app.example']);
    }
    answer(async () => new Response('not found', { status: 404 }));
    expect(await loadEmbedConfig(url)).toEqual({ config: {}, state: 'read' });
  });
});

describe('the protocol', () => {
  it('accepts only known host messages of this version', () => {
    expect(isHostMessage(versioned({ type: 'workbench:run' }))).toBe(true);
    expect(isHostMessage({ type: 'workbench:run', version: 2 })).toBe(false);
    expect(isHostMessage({ type: 'workbench:run' })).toBe(false);
    expect(isHostMessage({ type: 'workbench:kpis', version: 1 })).toBe(false);
    expect(isHostMessage('workbench:run')).toBe(false);
    expect(isHostMessage(null)).toBe(false);
  });

  it('checks the filters a host sets: known names, lists of strings', () => {
    const known = ['from', 'to', 'country', 'category'];
    expect(readFilters({ country: ['United Kingdom', "O'Hara Land"], from: ['2013-01-01'] }, known)).toEqual({
      country: ['United Kingdom', "O'Hara Land"], from: ['2013-01-01'],
    });
    expect(readFilters({}, known)).toEqual({});
    expect(readFilters(undefined, known)).toEqual({});
    expect(() => readFilters({ year: ['2013'] }, known)).toThrow(/unknown filter "year"; filters: from, to, country, category/);
    expect(() => readFilters({ country: 'Germany' }, known)).toThrow(/country needs a list of strings/);
    expect(() => readFilters({ country: [1] }, known)).toThrow(/list of strings/);
    expect(() => readFilters(['country'], known)).toThrow(/must be an object/);
    expect(() => readFilters('country=Germany', known)).toThrow(/must be an object/);
    expect(() => readFilters({ country: Array.from({ length: 51 }, (_, i) => `c${i}`) }, known)).toThrow(/at most 50/);
    // Names that only an object's prototype has are not filters.
    expect(() => readFilters(JSON.parse('{"__proto__": ["x"]}'), known)).toThrow(/unknown filter/);
  });

  it('checks an export request: request id, schema.table, csv or parquet', () => {
    expect(readExportRequest({ requestId: 'r1', table: 'gold.dim_products' })).toEqual({ requestId: 'r1', table: 'gold.dim_products', format: 'csv' });
    expect(readExportRequest({ requestId: 'r2', table: 'kpi.overview', format: 'parquet' }).format).toBe('parquet');
    expect(() => readExportRequest({ requestId: 'r3', table: 'gold.fact_sales', format: 'xlsx' })).toThrow(/csv or parquet/);
    expect(() => readExportRequest({ requestId: 'r4', table: 'gold.fact_sales', format: null })).toThrow(/csv or parquet/);
    for (const table of ['fact_sales', 'gold.fact_sales; drop table x', 'gold."fact_sales"', 'a.b.c', '', 42, undefined]) {
      expect(() => readExportRequest({ requestId: 'r5', table })).toThrow(/schema\.name/);
    }
    expect(() => readExportRequest({ table: 'gold.fact_sales' })).toThrow(/requestId/);
    expect(() => readExportRequest({ requestId: 7, table: 'gold.fact_sales' })).toThrow(/requestId/);
    expect(() => readExportRequest({ requestId: 'x'.repeat(201), table: 'gold.fact_sales' })).toThrow(/requestId/);
  });
});

describe('the SDK', () => {
  it('builds the embed URL with page, filters, theme and persistence', () => {
    const url = appUrl({ src: 'https://tools.example/workbench/', page: 'dashboards/executive', filters: { country: ['Germany', "O'Hara Land"] }, theme: 'dark', persist: false });
    expect(url.origin).toBe('https://tools.example');
    expect(url.pathname).toBe('/workbench/');
    expect(url.searchParams.get('embed')).toBe('1');
    expect(url.searchParams.get('page')).toBe('dashboards/executive');
    expect(new URLSearchParams(url.searchParams.get('filters')!).getAll('country')).toEqual(['Germany', "O'Hara Land"]);
    expect(url.searchParams.get('theme')).toBe('dark');
    expect(url.searchParams.get('persist')).toBe('0');
    expect(filtersToQuery({ a: ['1', '2'], b: [] })).toBe('a=1&a=2');
  });

  it('frames only http: and https: URLs, resolving relative ones against the page', () => {
    expect(appUrl({ src: '../workbench/' }, 'https://portal.example/pages/home.html').href).toBe('https://portal.example/workbench/?embed=1');
    expect(appUrl({ src: '//tools.example/wb/' }, 'https://portal.example/').origin).toBe('https://tools.example');
    expect(appUrl({ src: 'http://localhost:4173/' }).protocol).toBe('http:');
    for (const src of ['javascript:alert(document.domain)//', ' JavaScript:alert(1)', 'java\tscript:alert(1)', 'data:text/html,<script>alert(1)</script>',
      'blob:https://portal.example/0b5c', 'vbscript:msgbox(1)', 'file:///etc/passwd', 'about:blank', 'ftp://tools.example/']) {
      expect(() => appUrl({ src }, 'https://portal.example/'), src).toThrow(/http: or https:/);
    }
    expect(() => appUrl({ src: 'no scheme, no base' }, undefined)).toThrow(/not a URL/);
  });

  it('refuses any other src with an error event and no iframe', async () => {
    const appended: unknown[] = [];
    const element = { append: (...nodes: unknown[]) => appended.push(...nodes) } as unknown as HTMLElement;
    const wb = mount(element, { src: 'javascript:alert(document.domain)//' });
    const errors: string[] = [];
    wb.on('error', (m: Extract<AppMessage, { type: 'workbench:error' }>) => errors.push(m.message));
    expect(wb.iframe).toBeNull();
    await expect(wb.ready).rejects.toThrow(/http: or https:/);
    await expect(wb.exportTable('gold.fact_sales')).rejects.toThrow(/http: or https:/);
    await expect(wb.loadFiles([])).rejects.toThrow(/http: or https:/);
    await vi.waitFor(() => expect(errors).toEqual(['embed.js: src must be an http: or https: URL, not javascript:; no iframe was made']));
    expect(appended).toEqual([]);
  });
});
