/** The read made for an inspection is the run's: nothing is read, counted or hashed twice. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { inspectUpload, keptReadId, sha256, uploadFor } from '../../src/workers/run/read-inputs.ts';

/** A file that counts how often its bytes are read (whole, or any slice of it). */
class CountedFile extends File {
  static reads = 0;
  override stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
    CountedFile.reads++;
    return super.stream();
  }
  override slice(...args: Parameters<File['slice']>): Blob {
    CountedFile.reads++;
    return super.slice(...args);
  }
}

const csv = 'cst_id,cst_key,cst_firstname,cst_lastname,cst_marital_status,cst_gndr,cst_create_date\n'
  + Array.from({ length: 500 }, (_, i) => `${i + 1},AW${i},Ann,Lee,M,F,2025-01-01`).join('\n') + '\n';
const digestOf = (text: string) => createHash('sha256').update(text).digest('hex');

describe('reading a chosen file once', () => {
  it('counts the records and takes the digest of a UTF-8 file in one pass', async () => {
    const file = new CountedFile([csv], 'cust_info.csv', { lastModified: 1 });
    CountedFile.reads = 0;
    const { upload } = inspectUpload(file);
    const [part] = (await upload).parts;
    expect(part.inspected.rows).toBe(500);
    expect(part.sha256).toBe(digestOf(csv));
    expect(CountedFile.reads, 'the head, then one pass').toBe(2);
  });

  it('gives the run the inspection\'s read and digest, reading nothing again', async () => {
    const file = new CountedFile([csv], 'cust_info.csv', { lastModified: 2 });
    const { readId, upload } = inspectUpload(file);
    await upload;
    CountedFile.reads = 0;
    expect(await uploadFor(file, readId)).toBe(await upload);
    expect(await sha256(file, readId)).toBe(digestOf(csv));
    expect(CountedFile.reads).toBe(0);
  });

  it('reads afresh a file that is not the one the id was read from, or with no id', async () => {
    const first = new CountedFile([csv], 'cust_info.csv', { lastModified: 3 });
    const { readId, upload } = inspectUpload(first);
    await upload;
    const changed = csv.replace('Ann', 'Bob');
    const other = new CountedFile([changed], 'cust_info.csv', { lastModified: 4 });
    CountedFile.reads = 0;
    const reread = await uploadFor(other, readId);
    expect(reread).not.toBe(await upload);
    expect(reread.parts[0].sha256).toBe(digestOf(changed));
    expect(await sha256(other, readId)).toBe(digestOf(changed));
    expect(CountedFile.reads).toBeGreaterThan(0);
    CountedFile.reads = 0;
    expect((await uploadFor(first)).parts[0].inspected.rows).toBe(500);
    expect(CountedFile.reads, 'no id: read again').toBeGreaterThan(0);
  });

  it('reads a file whose kept read is gone once, for its checksum and the run together', async () => {
    const file = new CountedFile([csv], 'cust_info.csv', { lastModified: 6 });
    CountedFile.reads = 0;
    const readId = keptReadId(file, 'read-that-was-let-go');
    expect(keptReadId(file, readId), 'kept now: the same id').toBe(readId);
    expect(await sha256(file, readId)).toBe(digestOf(csv));
    expect((await uploadFor(file, readId)).parts[0].inspected.rows).toBe(500);
    expect(CountedFile.reads, 'the head, then one pass').toBe(2);
  });

  it('hashes a file in another encoding from its own bytes, not the UTF-8 it is read as', async () => {
    const latin1 = new Uint8Array([...Buffer.from(csv.replace('Ann', 'Ann\u00e9'), 'latin1')]);
    const file = new File([latin1], 'cust_info.csv', { lastModified: 5 });
    const { readId, upload } = inspectUpload(file);
    expect((await upload).parts[0].sha256).toBeUndefined();
    expect(await sha256(file, readId)).toBe(createHash('sha256').update(latin1).digest('hex'));
  });
});
