/**
 * How fast Chromium's IndexedDB takes large values, apart from the app: 380 MB (about
 * gold.fact_sales at scale 100 as Arrow IPC) written in chunks of 4 or 16 MB, one
 * read-write transaction each (as src/storage/results.ts does), with the default,
 * relaxed and strict durability, from compressible and random bytes. Two rounds.
 * Then writes queued while the page's thread is busy (as the save's are while the
 * dashboards' cube build runs a statement): 64 MB in 16 transactions, then 3 s of work on
 * the thread; how long the writes still take once it is free, with each transaction left
 * to commit on its own or told to commit (`commit()`) right after its put.
 * Last, as the app's save writes (src/storage/results.ts: from the engine's worker, each
 * transaction told to commit), in a profile on disk as a user's: the same 380 MB of random
 * bytes in 4 MB chunks, as bytes and as Blobs. Two rounds.
 *
 *   npx tsx bench/idb-write.ts
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { serveStatic } from '../tests/e2e/server.ts';

const TOTAL_MB = 380;
const VARIANTS = ['default:4:zeros', 'relaxed:4:zeros', 'strict:4:zeros', 'default:16:zeros', 'default:4:random', 'default:16:random'];

const folder = mkdtempSync(path.join(os.tmpdir(), 'idb-write-'));
writeFileSync(path.join(folder, 'index.html'), '<!doctype html><title>idb</title>');
// The worker of the last part: writes TOTAL_MB in 4 MB chunks, each transaction told to commit.
writeFileSync(path.join(folder, 'writer.js'), `
onmessage = async ({ data: { kind, name } }) => {
  const size = 4 * 1048576;
  const chunk = new Uint8Array(size);
  for (let i = 0, x = 2463534242; i < size; i++) { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; chunk[i] = x & 255; }
  const db = await new Promise((resolve, reject) => {
    const open = indexedDB.open(name, 1);
    open.onupgradeneeded = () => open.result.createObjectStore('s');
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  const started = performance.now();
  for (let k = 0; k * size < ${TOTAL_MB} * 1048576; k++) {
    const tx = db.transaction('s', 'readwrite');
    tx.objectStore('s').put(kind === 'blob' ? new Blob([chunk]) : chunk.slice(), 'k' + k);
    tx.commit();
    await new Promise((resolve, reject) => { tx.oncomplete = resolve; tx.onabort = () => reject(tx.error); });
  }
  const elapsed = performance.now() - started;
  db.close();
  await new Promise((resolve) => { const del = indexedDB.deleteDatabase(name); del.onsuccess = del.onerror = resolve; });
  postMessage(elapsed);
};`);
const server = await serveStatic(folder, {});
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
});
try {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${server.origin}/index.html`);
  console.log('round | durability | chunk MB | bytes | s | MB/s');
  console.log('---: | --- | ---: | --- | ---: | ---:');
  for (let round = 1; round <= 2; round++) {
    for (const variant of VARIANTS) {
      const [durability, mb, fill] = variant.split(':');
      const ms = await page.evaluate(async ({ durability, mb, fill, total, name }) => {
        const db: IDBDatabase = await new Promise((resolve, reject) => {
          const open = indexedDB.open(name, 1);
          open.onupgradeneeded = () => open.result.createObjectStore('s');
          open.onsuccess = () => resolve(open.result);
          open.onerror = () => reject(open.error);
        });
        const size = Number(mb) * 1048576;
        const chunk = new Uint8Array(size);
        // Random bytes (xorshift) do not compress; zeros do.
        if (fill === 'random') for (let i = 0, x = 2463534242; i < size; i++) { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; chunk[i] = x & 255; }
        const options = durability === 'default' ? undefined : { durability: durability as IDBTransactionDurability };
        const started = performance.now();
        for (let k = 0; k * size < total * 1048576; k++) {
          const tx = db.transaction('s', 'readwrite', options);
          tx.objectStore('s').put(chunk, `k${k}`);
          await new Promise<void>((resolve, reject) => { tx.oncomplete = () => resolve(); tx.onabort = () => reject(tx.error); });
        }
        const elapsed = performance.now() - started;
        db.close();
        await new Promise((resolve) => { const del = indexedDB.deleteDatabase(name); del.onsuccess = del.onerror = resolve; });
        return elapsed;
      }, { durability, mb, fill, total: TOTAL_MB, name: `${variant}-${round}` });
      console.log(`${round} | ${durability} | ${mb} | ${fill} | ${(ms / 1000).toFixed(2)} | ${(TOTAL_MB / (ms / 1000)).toFixed(0)}`);
    }
  }
  console.log('\nround | commit | queued MB | thread busy s | writes done after it s');
  console.log('---: | --- | ---: | ---: | ---:');
  for (let round = 1; round <= 2; round++) {
    for (const commit of ['auto', 'explicit']) {
      const after = await page.evaluate(async ({ commit, name }) => {
        const db: IDBDatabase = await new Promise((resolve, reject) => {
          const open = indexedDB.open(name, 1);
          open.onupgradeneeded = () => open.result.createObjectStore('s');
          open.onsuccess = () => resolve(open.result);
          open.onerror = () => reject(open.error);
        });
        const size = 4 * 1048576;
        const chunks = Array.from({ length: 16 }, (_, k) => {
          const chunk = new Uint8Array(size);
          for (let i = 0, x = 2463534242 + k; i < size; i++) { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; chunk[i] = x & 255; }
          return chunk;
        });
        const writes: Promise<void>[] = [];
        for (const [k, chunk] of chunks.entries()) {
          const tx = db.transaction('s', 'readwrite');
          tx.objectStore('s').put(chunk, `k${k}`);
          if (commit === 'explicit') tx.commit();
          writes.push(new Promise<void>((resolve, reject) => { tx.oncomplete = () => resolve(); tx.onabort = () => reject(tx.error); }));
        }
        const busyUntil = performance.now() + 3000;
        while (performance.now() < busyUntil);
        const freed = performance.now();
        await Promise.all(writes);
        const elapsed = performance.now() - freed;
        db.close();
        await new Promise((resolve) => { const del = indexedDB.deleteDatabase(name); del.onsuccess = del.onerror = resolve; });
        return elapsed;
      }, { commit, name: `busy-${commit}-${round}` });
      console.log(`${round} | ${commit} | 64 | 3.00 | ${(after / 1000).toFixed(2)}`);
    }
  }
  console.log('\nround | from | profile | value | s | MB/s');
  console.log('---: | --- | --- | --- | ---: | ---:');
  const profile = mkdtempSync(path.join(os.tmpdir(), 'idb-profile-'));
  const onDisk = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  try {
    const diskPage = await onDisk.newPage();
    await diskPage.goto(`${server.origin}/index.html`);
    for (let round = 1; round <= 2; round++) {
      for (const kind of ['bytes', 'blob']) {
        const ms = await diskPage.evaluate(({ kind, name }) => new Promise<number>((resolve, reject) => {
          const worker = new Worker('/writer.js');
          worker.onmessage = (e) => resolve(e.data as number);
          worker.onerror = (e) => reject(new Error(e.message));
          worker.postMessage({ kind, name });
        }), { kind, name: `worker-${kind}-${round}` });
        console.log(`${round} | a worker, commit() | on disk | ${kind} | ${(ms / 1000).toFixed(2)} | ${(TOTAL_MB / (ms / 1000)).toFixed(0)}`);
      }
    }
  } finally {
    await onDisk.close();
    rmSync(profile, { recursive: true, force: true });
  }
} finally {
  await browser.close();
  await server.close();
  rmSync(folder, { recursive: true, force: true });
}
