import { describe, expect, it } from 'vitest';
import { assignSources, inspectHead, type FileInspection } from '../../src/pipeline/csv-inspect.ts';
import { SOURCES } from '../../src/pipeline/sources.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const inspect = (name: string, text: string) => inspectHead(name, text.length, bytes(text));

describe('recognising a file by its header', () => {
  it('ignores case, spaces, order, quotes and extra columns', () => {
    const f = inspect('x.txt', ' "CNTRY" ; cid ;extra\nAW-1;DE;x\n');
    expect(f).toMatchObject({ source: 'erp_loc_a101', delimiter: ';', columns: ['cntry', 'cid', 'extra'] });
    expect(f.problem).toBeUndefined();
  });

  it('detects tab and pipe delimiters and a UTF-8 byte order mark', () => {
    expect(inspect('t.tsv', 'ID\tCAT\tSUBCAT\tMAINTENANCE\n').source).toBe('erp_px_cat_g1v2');
    expect(inspect('p.csv', 'CID|BDATE|GEN\n').source).toBe('erp_cust_az12');
    const bom = inspectHead('b.csv', 20, new Uint8Array([0xef, 0xbb, 0xbf, ...bytes('CID,CNTRY\n')]));
    expect(bom).toMatchObject({ hasBom: true, source: 'erp_loc_a101', columns: ['cid', 'cntry'] });
  });

  it('decodes UTF-16 with a byte order mark', () => {
    const text = 'CID,CNTRY\r\n';
    const utf16 = new Uint8Array(2 + text.length * 2);
    utf16.set([0xff, 0xfe]);
    for (let i = 0; i < text.length; i++) utf16[2 + i * 2] = text.charCodeAt(i);
    expect(inspectHead('u.csv', utf16.length, utf16)).toMatchObject({ encoding: 'utf-16le', source: 'erp_loc_a101' });
  });

  it('names the problem for empty, binary and unknown files', () => {
    expect(inspect('e.csv', '').problem).toBe('e.csv is empty');
    expect(inspectHead('b.csv', 4, new Uint8Array([0x50, 0x4b, 0x03, 0x00])).problem).toMatch(/not a text CSV/);
    expect(inspect('a.csv', 'a,b,c\n1,2,3\n').problem).toBe('a.csv matches no source (its columns: a, b, c)');
  });
});

describe('assigning files to sources', () => {
  const complete = (): FileInspection[] => SOURCES.map((s) => inspect(`${s.id}.csv`, `${s.columns.join(',')}\n`));

  it('accepts one file per source', () => {
    const { problems, files } = assignSources(complete());
    expect(problems).toEqual([]);
    expect(Object.keys(files).sort()).toEqual(SOURCES.map((s) => s.id).sort());
  });

  it('names missing sources with their expected columns', () => {
    const { problems } = assignSources(complete().filter((f) => f.source !== 'erp_loc_a101'));
    expect(problems).toEqual(['missing the ERP locations file (expected columns: cid, cntry)']);
  });

  it('names both files when a source is given twice, and unknown files', () => {
    const files = [...complete(), inspect('copy.csv', 'CID,CNTRY\n'), inspect('a.csv', 'a,b\n')];
    const { problems } = assignSources(files);
    expect(problems).toContain('erp_loc_a101.csv and copy.csv are both ERP locations files; keep one');
    expect(problems).toContain('a.csv matches no source (its columns: a, b)');
    expect(problems.at(-1)).toMatch(/^expected one file per source: CRM customers \(cst_id, cst_key/);
  });
});
