import { describe, expect, it } from 'vitest';
import { allowedOrigins, normaliseOrigins } from '../../src/embed/allow-list.ts';
import { isHostMessage, versioned } from '../../src/embed/protocol.ts';
import { appUrl, filtersToQuery } from '../../src/embed/sdk.ts';

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

describe('the protocol', () => {
  it('accepts only known host messages of this version', () => {
    expect(isHostMessage(versioned({ type: 'workbench:run' }))).toBe(true);
    expect(isHostMessage({ type: 'workbench:run', version: 2 })).toBe(false);
    expect(isHostMessage({ type: 'workbench:run' })).toBe(false);
    expect(isHostMessage({ type: 'workbench:kpis', version: 1 })).toBe(false);
    expect(isHostMessage('workbench:run')).toBe(false);
    expect(isHostMessage(null)).toBe(false);
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
});
