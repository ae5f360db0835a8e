import { describe, expect, it } from 'vitest';
import { assertSimpleName, quoteIdent, quoteLiteral } from '../../src/sql/quote.ts';

describe('quoting', () => {
  it('doubles quotes in identifiers and literals', () => {
    expect(quoteIdent('a"b')).toBe('"a""b"');
    expect(quoteLiteral("it's")).toBe("'it''s'");
    expect(quoteLiteral("'; drop table x; --")).toBe("'''; drop table x; --'");
  });

  it('refuses NUL and unsafe generated names', () => {
    expect(() => quoteLiteral('a\u0000b')).toThrow(/NUL/);
    expect(assertSimpleName('stage_2')).toBe('stage_2');
    expect(() => assertSimpleName('x; drop')).toThrow();
  });
});
