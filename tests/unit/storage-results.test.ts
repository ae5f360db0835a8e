/** Saving the last good run's tables and restoring them into the engine (DuckDB-WASM in Node). */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/storage/memory-store.ts';
import { isQuotaError } from '../../src/storage/kv.ts';
import { migrate } from '../../src/storage/migrations.ts';
import { removeOrphanTables, saveResults } from '../../src/storage/results.ts';
import { restoreResults } from '../../src/storage/results-restore.ts';
import { chunkKey, KEYS, type ResultsManifest } from '../../src/storage/schema.ts';
import { MINIMAL, rows, runOnTexts, testEngine } from '../helpers/pipeline.ts';

const measures = () => readFile(path.resolve(import.meta.dirname, '../../models/measures.sql'), 'utf8');
const salesLine = (order: string, amount: number) => `${order},BK-R93R-62,11000,20110101,20110105,20110110,${amount},1,${amount}\n`;
const sales = (...lines: string[]) => MINIMAL.crm_sales_details.split('\n')[0] + '\n' + lines.join('');

/** Every saved table's schema and content, to compare before and after. */
async function snapshot(): Promise<Record<string, unknown>> {
  const tables = await rows(`select schema_name as s, table_name as t from duckdb_tables() where database_name = current_database()
    and schema_name in ('rejects', 'gold', 'kpi', 'segmentation') order by 1, 2`);
  const out: Record<string, unknown> = {};
  for (const { s, t } of tables) {
    out[`${s}.${t}`] = {
      columns: await rows(`select column_name, data_type from duckdb_columns() where database_name = current_database() and schema_name = '${s}' and table_name = '${t}' order by column_index`),
      rows: await rows(`select * from ${s}.${t} order by all`),
    };
  }
  return out;
}

async function storeWithVersion(quota?: number): Promise<MemoryStore> {
  const store = new MemoryStore(quota);
  await migrate(store);
  return store;
}

describe('results in the store', () => {
  it('restores every saved table exactly (types, rows, values) and the measure macros', async () => {
    const store = await storeWithVersion();
    const good = await runOnTexts({ crm_sales_details: sales(salesLine('SO1', 100), salesLine('SO2', 250)) });
    expect(good.report.state).toBe('success');
    const before = await snapshot();
    const manifest = await saveResults(store, good.engine, good.report);
    expect(manifest.tables.map((t) => `${t.schema}.${t.name}`)).toEqual(Object.keys(before));
    expect(store.data.get(KEYS.current)).toMatchObject({ runId: good.report.runId });

    // Another good run replaces the engine's results; the store still holds the first.
    await runOnTexts({ crm_sales_details: sales(salesLine('SO3', 7)) });
    expect(await rows('select total_sales from kpi.overview')).toEqual([{ total_sales: 7 }]);

    const restored = await restoreResults(store, await testEngine(), await measures());
    expect(restored?.runId).toBe(good.report.runId);
    expect(await snapshot()).toEqual(before);
    expect(await rows('select total_sales(sales_amount) as s, avg_order_value(sales_amount, order_number) as aov from gold.fact_sales'))
      .toEqual([{ s: 350, aov: 175 }]);
    const catalogs = await rows(`select database_name as name from duckdb_databases() where database_name like 'stage_%'`);
    expect(catalogs).toHaveLength(1);
  });

  it('keeps the previous results whole when the quota is used up while saving', async () => {
    const first = await runOnTexts({ crm_sales_details: sales(salesLine('SO1', 100)) });
    const probe = await storeWithVersion();
    const tableBytes = (await saveResults(probe, first.engine, first.report)).tables.reduce((s, t) => s + t.bytes, 0);

    // Room for one saved run and half its tables again: the second save runs out half-way.
    const store = await storeWithVersion(probe.bytes + tableBytes / 2);
    const saved = await saveResults(store, first.engine, first.report);
    const second = await runOnTexts({ crm_sales_details: sales(salesLine('SO2', 999)) });
    const err = await saveResults(store, second.engine, second.report).catch((e: unknown) => e);
    expect(isQuotaError(err)).toBe(true);
    expect((store.data.get(KEYS.current) as ResultsManifest).generation).toBe(saved.generation);
    // Nothing of the half-written generation is left behind.
    expect([...store.data.keys()].filter((k) => k.startsWith(KEYS.results) && !k.startsWith(`${KEYS.results}${saved.generation}/`))).toEqual([]);

    await restoreResults(store, await testEngine(), await measures());
    expect(await rows('select total_sales from kpi.overview')).toEqual([{ total_sales: 100 }]);
  });

  it('replaces the previous generation on a new save and removes orphans of a cut-off save', async () => {
    const store = await storeWithVersion();
    const a = await runOnTexts({});
    const first = await saveResults(store, a.engine, a.report);
    const b = await runOnTexts({ crm_sales_details: sales(salesLine('SO5', 5)) });
    const second = await saveResults(store, b.engine, b.report);
    const keys = () => [...store.data.keys()].filter((k) => k.startsWith(KEYS.results));
    const chunks = second.tables.flatMap((t) => t.chunks.map((c) => c.key)).sort();
    expect(keys().every((k) => k.startsWith(`${KEYS.results}${second.generation}/`))).toBe(true);
    expect(keys()).toEqual(chunks);
    await store.write((tx) => tx.put(chunkKey('cut-off', 'gold.fact_sales', 0), new Uint8Array(8)));
    expect(await removeOrphanTables(store)).toBe(1);
    expect(keys()).toEqual(chunks);
    expect(first.generation).not.toBe(second.generation);
  });

  it('leaves the engine\'s results alone when a saved table is damaged', async () => {
    const store = await storeWithVersion();
    const saved = await runOnTexts({ crm_sales_details: sales(salesLine('SO1', 100)) });
    const manifest = await saveResults(store, saved.engine, saved.report);
    await runOnTexts({ crm_sales_details: sales(salesLine('SO2', 42)) });
    const fact = manifest.tables.find((t) => t.name === 'fact_sales')!;
    await store.write((tx) => tx.put(fact.chunks[0].key, new Uint8Array([1, 2, 3])));
    await expect(restoreResults(store, await testEngine(), await measures())).rejects.toThrow();
    expect(await rows('select total_sales from kpi.overview')).toEqual([{ total_sales: 42 }]);
  });
});
