/** DuckDB's CSV reader errors, as the user reads them. */
import { describe, expect, it } from 'vitest';
import { describeCsvError } from '../../src/pipeline/csv-errors.ts';

const FIXES = "Possible fixes:\n* Disable the parser's strict mode (strict_mode=false) to allow reading rows that do not comply with the CSV standard.\n";

describe('describeCsvError', () => {
  it('quotes the line of a ragged row', () => {
    const raw = `Invalid Input Error: CSV Error on Line: 2\nOriginal Line: 1,2,3,4\nExpected Number of Columns: 3 Found: 4\n${FIXES}`;
    expect(describeCsvError('loc.csv', 'ERP locations', raw)).toBe(
      'loc.csv (ERP locations) line 2 has 4 fields but the header has 3 (the line reads: 1,2,3,4); ' +
        'the file may be truncated or use another delimiter inside unquoted values',
    );
  });

  it('quotes a cut-off last line of a CRLF file, which DuckDB gives after a line break', () => {
    const raw = `Invalid Input Error: CSV Error on Line: 3\nOriginal Line: \n4,5\nExpected Number of Columns: 3 Found: 2\n${FIXES}`;
    expect(describeCsvError('sales.csv', 'CRM sales', raw)).toMatch(/^sales\.csv \(CRM sales\) line 3 has 2 fields but the header has 3 \(the line reads: 4,5\);/);
  });

  it('quotes nothing when DuckDB gives no text for the line', () => {
    const raw = `Invalid Input Error: CSV Error on Line: 3\nOriginal Line: \nExpected Number of Columns: 3 Found: 2\n${FIXES}`;
    const message = describeCsvError('sales.csv', 'CRM sales', raw);
    expect(message).toMatch(/^sales\.csv \(CRM sales\) line 3 has 2 fields but the header has 3; the file may be truncated/);
    expect(message).not.toContain('the line reads');
  });
});
