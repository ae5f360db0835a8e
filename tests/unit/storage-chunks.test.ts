/**
 * The chunked layout of saved results (layout 3): tables cut into self-contained Arrow
 * IPC chunks whose size does not grow with the table, a store that refuses large values
 * the way Chromium does, the upgrade from layout 2 (one value per table), reading back
 * while the saved results change, and failures told in words.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { tableFromIPC, tableToIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { QueryStream } from '../../src/exports/query-stream.ts';
import { arrowChunks, messageRows } from '../../src/storage/arrow-chunks.ts';
import type { KvStore } from '../../src/storage/kv.ts';
import { MemoryStore, QuotaExceeded } from '../../src/storage/memory-store.ts';
import { migrate } from '../../src/storage/migrations.ts';
import { saveResults } from '../../src/storage/results.ts';
import { loadSavedResults, openSavedResults, restoreResults, SavedResultsChanged } from '../../src/storage/results-restore.ts';
import { committed } from '../../src/storage/idb-store.ts';
import { saveFailureNote, StoreAbortedError, storageErrorText } from '../../src/storage/save-errors.ts';
import { KEYS, SCHEMA_VERSION, tableKey, type ResultsManifest } from '../../src/storage/schema.ts';
import { rows, runOnTexts, testEngine } from '../helpers/pipeline.ts';

const measures = () => readFile(path.resolve(import.meta.dirname, '../../models/measures.sql'), 'utf8');
const KIB = 1024;

/** A table of `n` rows made in the engine, in a saved layer, about 90 bytes a row in Arrow. */
async function bigTable(n: number): Promise<void> {
  const e = await testEngine();
  await e.exec(`create or replace table kpi.big as
    select range as id, 'row ' || range as label, repeat('x', 60) as pad, (range % 7)::decimal(18, 2) as amount, date '2020-01-01' + (range % 900)::integer as day
    from range(${n})`);
}

/** What is compared before and after a round trip: every saved table's rows, in a fixed order. */
async function fingerprint(): Promise<Record<string, unknown>> {
  const tables = await rows(`select schema_name as s, table_name as t from duckdb_tables() where database_name = current_database()
    and schema_name in ('rejects', 'gold', 'kpi', 'segmentation') order by 1, 2`);
  const out: Record<string, unknown> = {};
  for (const { s, t } of tables) {
    out[`${s}.${t}`] = s === 'kpi' && t === 'big'
      ? await rows('select count(*)::integer as n, sum(id)::bigint as ids, sum(length(label))::bigint as labels, sum(amount)::double as amount, max(day) as day, count(distinct pad)::integer as pads from kpi.big')
      : await rows(`select * from ${s}.${t} order by all`);
  }
  return out;
}

async function freshStore(quota?: number, maxValueBytes?: number): Promise<MemoryStore> {
  const store = new MemoryStore(quota, maxValueBytes);
  await migrate(store);
  return store;
}

describe('Arrow chunks', () => {
  it('cuts a result into self-contained streams no larger than the target, with every row once', async () => {
    const e = await testEngine();
    const stream = new QueryStream(e, `select range as id, 'value ' || range as label from range(100000)`);
    const chunks = [...arrowChunks(stream.header, () => stream.next(), 64 * KIB)];
    const biggestMessage = 2048 * 40;
    expect(chunks.length).toBeGreaterThan(10);
    for (const c of chunks) expect(c.bytes.byteLength).toBeLessThanOrEqual(Math.max(64 * KIB, biggestMessage));
    const tables = chunks.map((c) => tableFromIPC(c.bytes));
    expect(tables.map((t) => t.numRows)).toEqual(chunks.map((c) => c.rows));
    expect(chunks.reduce((s, c) => s + c.rows, 0)).toBe(100000);
    const ids = tables.flatMap((t) => [...t.getChild('id')!].map(Number));
    expect(ids).toEqual(Array.from({ length: 100000 }, (_, i) => i));
    expect(tables.at(-1)!.getChild('label')!.get(tables.at(-1)!.numRows - 1)).toBe('value 99999');
  });

  it('keeps an empty result as one chunk with the schema alone', async () => {
    const e = await testEngine();
    const stream = new QueryStream(e, `select 1::integer as a, 'x' as b where false`);
    const chunks = [...arrowChunks(stream.header, () => stream.next())];
    expect(chunks).toHaveLength(1);
    expect(chunks[0].rows).toBe(0);
    const table = tableFromIPC(chunks[0].bytes);
    expect(table.numRows).toBe(0);
    expect(table.schema.fields.map((f) => f.name)).toEqual(['a', 'b']);
  });

  it('counts rows from message headers alone', async () => {
    const e = await testEngine();
    const stream = new QueryStream(e, 'select range from range(5000)');
    let total = 0;
    for (let m = stream.next(); m; m = stream.next()) total += messageRows(m);
    expect(total).toBe(5000);
  });
});

describe('saved results in chunks', () => {
  it('saves and restores a table larger than the store takes as one value, in pieces that stay small', async () => {
    const good = await runOnTexts({});
    await bigTable(60_000);
    const before = await fingerprint();
    // A per-value limit far below the table, as Chromium's 127 MiB is below a scale-100 run's tables.
    const limit = 512 * KIB;
    const store = await freshStore(Number.POSITIVE_INFINITY, limit);
    const manifest = await saveResults(store, good.engine, good.report, { chunkBytes: 128 * KIB });
    const big = manifest.tables.find((t) => t.name === 'big')!;
    expect(big.bytes).toBeGreaterThan(4 * limit);
    expect(big.chunks.length).toBeGreaterThan(16);
    expect(store.largestValue).toBeLessThanOrEqual(limit);
    expect(big.chunks.reduce((s, c) => s + c.rows, 0)).toBe(60_000);
    expect(manifest.tables.every((t) => t.chunks.length >= 1 && t.bytes === t.chunks.reduce((s, c) => s + c.bytes, 0))).toBe(true);

    await runOnTexts({});
    expect(await rows(`select 1 from duckdb_tables() where database_name = current_database() and table_name = 'big'`)).toEqual([]);
    expect(await restoreResults(store, await testEngine(), await measures())).toMatchObject({ generation: manifest.generation });
    expect(await fingerprint()).toEqual(before);
  });

  it('reports its progress in rows as the chunks commit, up to every row of the saved tables', async () => {
    const good = await runOnTexts({});
    await bigTable(60_000);
    const store = await freshStore();
    const heard: [number, number][] = [];
    const manifest = await saveResults(store, good.engine, good.report, { chunkBytes: 128 * KIB, onProgress: (done, total) => heard.push([done, total]) });
    const rowsSaved = manifest.tables.reduce((sum, t) => sum + t.rows, 0);
    expect(rowsSaved).toBeGreaterThan(60_000);
    // One report per chunk of a table with rows, each further along, all against the same total.
    expect(heard.length).toBe(manifest.tables.flatMap((t) => t.chunks).filter((c) => c.rows > 0).length);
    expect(heard.every(([, total]) => total === rowsSaved)).toBe(true);
    expect(heard.every(([done], i) => i === 0 || done > heard[i - 1][0])).toBe(true);
    expect(heard.at(-1)).toEqual([rowsSaved, rowsSaved]);
  });

  it('a restore reports the rows loaded as each chunk goes into the engine, from none to every saved row', async () => {
    const good = await runOnTexts({});
    await bigTable(60_000);
    const store = await freshStore();
    const manifest = await saveResults(store, good.engine, good.report, { chunkBytes: 128 * KIB });
    const rowsSaved = manifest.tables.reduce((sum, t) => sum + t.rows, 0);
    const heard: [number, number][] = [];
    await restoreResults(store, await testEngine(), await measures(), undefined, (done, total) => heard.push([done, total]));
    expect(heard[0]).toEqual([0, rowsSaved]);
    // At least one report per chunk with rows after the first, never going back, all against the same total.
    expect(heard.length).toBeGreaterThan(manifest.tables.flatMap((t) => t.chunks).filter((c) => c.rows > 0).length);
    expect(heard.every(([, total]) => total === rowsSaved)).toBe(true);
    expect(heard.every(([done], i) => i === 0 || done >= heard[i - 1][0])).toBe(true);
    expect(heard.at(-1)).toEqual([rowsSaved, rowsSaved]);
  });

  it('goes on while the engine runs other statements between its chunks (the stream has a connection of its own)', async () => {
    const good = await runOnTexts({});
    const e = good.engine;
    await bigTable(60_000);
    const before = await fingerprint();
    const inner = await freshStore();
    let statements = 0;
    // Each chunk handed to the store runs a statement on the engine first, as the aggregate build does meanwhile.
    const store: KvStore = {
      write: async (work) => {
        await e.exec(`create or replace temp table busy as select range as x from range(${++statements * 1000})`);
        return inner.write(work);
      },
      read: (work) => inner.read(work),
      clear: () => inner.clear(),
    };
    const manifest = await saveResults(store, e, good.report, { chunkBytes: 128 * KIB });
    expect(statements).toBeGreaterThan(16);
    expect(manifest.tables.find((t) => t.name === 'big')!.rows).toBe(60_000);
    await e.exec('drop table temp.busy');

    await runOnTexts({});
    expect(await restoreResults(inner, await testEngine(), await measures())).toMatchObject({ generation: manifest.generation });
    expect(await fingerprint()).toEqual(before);
  });

  it('the same table in one value is refused by that store, in words (the layout before chunks)', async () => {
    const good = await runOnTexts({});
    await bigTable(60_000);
    const store = await freshStore(Number.POSITIVE_INFINITY, 512 * KIB);
    const err = await saveResults(store, good.engine, good.report, { chunkBytes: 64 * 1024 * KIB }).catch((e: unknown) => e);
    expect(storageErrorText(err)).toMatch(/^the browser could not store the data \(UnknownError: The serialized keys and\/or value are too large/);
    expect(await store.read((tx) => tx.keys(KEYS.results))).toEqual([]);
  });

  it('reads layout 2 (one value per table) after the upgrade, without copying it', async () => {
    const good = await runOnTexts({});
    const before = await fingerprint();
    const e = good.engine;
    // Write the store as version 2 did: each table as one IPC stream under results/<generation>/<schema>.<table>.
    const store = new MemoryStore();
    const tables = await rows(`select schema_name as s, table_name as t from duckdb_tables() where database_name = current_database()
      and schema_name in ('gold', 'kpi', 'rejects', 'segmentation') order by 1, 2`);
    const v2Tables: Record<string, unknown>[] = [];
    await store.write(async (tx) => {
      for (const { s, t } of tables as { s: string; t: string }[]) {
        const bytes = tableToIPC(tableFromIPC(e.ipc(`select * from ${s}.${t}`)), 'stream');
        const columns = await rows(`select column_name as name, data_type as type from duckdb_columns() where database_name = current_database() and schema_name = '${s}' and table_name = '${t}' order by column_index`);
        const [{ n }] = await rows(`select count(*)::integer as n from ${s}.${t}`);
        tx.put(tableKey('old', `${s}.${t}`), bytes);
        v2Tables.push({ schema: s, name: t, rows: n, bytes: bytes.byteLength, columns });
      }
      tx.put(KEYS.current, { generation: 'old', runId: good.report.runId, savedAt: 1, report: good.report, tables: v2Tables });
      tx.put(KEYS.version, 2);
    });
    const keysBefore = [...store.data.keys()].sort();

    expect(await migrate(store)).toBe(2);
    expect(store.data.get(KEYS.version)).toBe(SCHEMA_VERSION);
    expect([...store.data.keys()].sort()).toEqual(keysBefore);
    const manifest = store.data.get(KEYS.current) as ResultsManifest;
    expect(manifest.tables.every((t) => t.chunks.length === 1 && t.chunks[0].key === tableKey('old', `${t.schema}.${t.name}`))).toBe(true);

    await runOnTexts({ crm_sales_details: 'sls_ord_num,sls_prd_key,sls_cust_id,sls_order_dt,sls_ship_dt,sls_due_dt,sls_sales,sls_quantity,sls_price\nSO9,BK-R93R-62,11000,20110101,20110105,20110110,5,1,5\n' });
    await restoreResults(store, await testEngine(), await measures());
    expect(await fingerprint()).toEqual(before);
  });

  it('reads the newer results when they replace the ones being read, and leaves the engine alone if it cannot', async () => {
    const a = await runOnTexts({});
    const store = await freshStore();
    await saveResults(store, a.engine, a.report, { chunkBytes: 16 * KIB });
    const stale = (await openSavedResults(store))!;
    const b = await runOnTexts({ crm_sales_details: 'sls_ord_num,sls_prd_key,sls_cust_id,sls_order_dt,sls_ship_dt,sls_due_dt,sls_sales,sls_quantity,sls_price\nSO7,BK-R93R-62,11000,20110101,20110105,20110110,77,1,77\n' });
    const newer = await saveResults(store, b.engine, b.report, { chunkBytes: 16 * KIB });
    await runOnTexts({});

    // The generation being read was deleted by the newer save: the engine keeps what it had.
    await expect(loadSavedResults(await testEngine(), stale.prime(), await measures())).rejects.toBeInstanceOf(SavedResultsChanged);
    expect(await rows('select total_sales from kpi.overview')).toEqual([{ total_sales: 3578 }]);
    // A restore handed the stale reader reads the current results instead.
    expect((await restoreResults(store, await testEngine(), await measures(), stale))?.generation).toBe(newer.generation);
    expect(await rows('select total_sales from kpi.overview')).toEqual([{ total_sales: 77 }]);
  });
});

describe('failures in words', () => {
  it('never says "null": an abort without a reason, an empty quota message, a plain error', async () => {
    expect(storageErrorText(null)).toMatch(/stopped writing to its storage without giving a reason/);
    expect(storageErrorText(undefined)).not.toMatch(/undefined/);
    expect(storageErrorText(new DOMException('', 'QuotaExceededError'))).toBe("this browser's storage for the workbench is full (QuotaExceededError)");
    expect(storageErrorText(new DOMException('Data cannot be cloned, out of memory.', 'DataCloneError')))
      .toBe('the browser could not copy the data to store it (it may be short of memory) (DataCloneError: Data cannot be cloned, out of memory.)');
    expect(storageErrorText(new Error('Error: disk gone\nstack'))).toBe('disk gone');
  });

  it('an aborted IndexedDB transaction rejects with the failed request\'s error, never with null', async () => {
    /** An event as a failed request sends it: its target is the request, and it reaches the transaction first. */
    class RequestEvent extends Event {
      constructor(readonly request: { error: DOMException | null }) {
        super('error');
      }
      override get target() {
        return this.request as unknown as EventTarget;
      }
    }
    const fakeTransaction = () => Object.assign(new EventTarget(), { error: null as DOMException | null });
    // Chromium, a value over 127 MiB: the request fails, the transaction's error is still null when the error event arrives.
    const tooLarge = new DOMException('The serialized keys and/or value are too large (size=169031994 bytes, max=133169152 bytes).', 'UnknownError');
    const tx = fakeTransaction();
    const done = committed(tx as unknown as IDBTransaction);
    tx.dispatchEvent(new RequestEvent({ error: tooLarge }));
    tx.dispatchEvent(new Event('abort'));
    await expect(done).rejects.toBe(tooLarge);
    expect(storageErrorText(tooLarge)).toBe(`the browser could not store the data (UnknownError: ${tooLarge.message})`);
    // An abort with no error at all still says why in words.
    const silent = fakeTransaction();
    const aborted = committed(silent as unknown as IDBTransaction);
    silent.dispatchEvent(new Event('abort'));
    await expect(aborted).rejects.toBeInstanceOf(StoreAbortedError);
    const ok = fakeTransaction();
    const completed = committed(ok as unknown as IDBTransaction);
    ok.dispatchEvent(new Event('complete'));
    await expect(completed).resolves.toBeUndefined();
  });

  it('a save that runs out of room says so, names what to delete, and that the earlier results are kept', async () => {
    const first = await runOnTexts({});
    const probe = await freshStore();
    const one = await saveResults(probe, first.engine, first.report);
    const store = await freshStore(probe.bytes + one.tables.reduce((s, t) => s + t.bytes, 0) / 2);
    const kept = await saveResults(store, first.engine, first.report);
    const second = await runOnTexts({});
    const err = await saveResults(store, second.engine, second.report, { chunkBytes: 8 * KIB }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QuotaExceeded);
    const note = await saveFailureNote(store, second.report.startedAt, err);
    expect(note).toMatch(/could not be saved: this browser's storage for the workbench is full\. To make room, delete older runs/);
    expect(note).toMatch(/The results saved before, of the run of \d{4}-\d\d-\d\d \d\d:\d\d UTC, are kept: a reload shows them\.$/);
    expect((store.data.get(KEYS.current) as ResultsManifest).generation).toBe(kept.generation);
  });
});
