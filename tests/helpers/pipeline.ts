/** Test harness: the real pipeline on the real engine, fed with small CSV texts. */
import { inspectHead } from '../../src/pipeline/csv-inspect.ts';
import { runPipeline, type RunOptions } from '../../src/pipeline/runner.ts';
import { toUtf8Bytes } from '../../src/pipeline/transcode.ts';
import { lineMapText, RecordLineCounter } from '../../src/pipeline/record-lines.ts';
import type { SourceInput } from '../../src/pipeline/ingest.ts';
import { registeredSlices, sliceRanges } from '../../src/pipeline/slices.ts';
import { SOURCES, type SourceId } from '../../src/pipeline/sources.ts';
import type { RunReport } from '../../src/pipeline/types.ts';
import type { WasmEngine } from '../../src/duckdb/wasm-engine.ts';
import { openNodeEngine } from '../../src/duckdb/wasm-node.ts';
import { INPUT_DIR } from '../../src/duckdb/wasm-engine.ts';
import { loadModelFiles } from '../../src/cli/node-inputs.ts';
import type { ModelFile } from '../../src/pipeline/dag.ts';

export const RUN_DATE = '2026-11-26';

/** One small, clean file per source, consistent with each other. */
export const MINIMAL: Record<SourceId, string> = {
  crm_cust_info: 'cst_id,cst_key,cst_firstname,cst_lastname,cst_marital_status,cst_gndr,cst_create_date\n11000,AW00011000,Jon,Yang,M,M,2025-10-06\n',
  crm_prd_info: 'prd_id,prd_key,prd_nm,prd_cost,prd_line,prd_start_dt,prd_end_dt\n310,BI-RB-BK-R93R-62,Road-150 Red- 62,2171,R,2011-07-01,\n',
  crm_sales_details: 'sls_ord_num,sls_prd_key,sls_cust_id,sls_order_dt,sls_ship_dt,sls_due_dt,sls_sales,sls_quantity,sls_price\nSO1,BK-R93R-62,11000,20101229,20110105,20110110,3578,1,3578\n',
  erp_cust_az12: 'CID,BDATE,GEN\nNASAW00011000,1971-10-06,Male\n',
  erp_loc_a101: 'CID,CNTRY\nAW-00011000,Australia\n',
  erp_px_cat_g1v2: 'ID,CAT,SUBCAT,MAINTENANCE\nBI_RB,Bikes,Road Bikes,Yes\n',
};

let enginePromise: Promise<WasmEngine> | undefined;
let modelsPromise: Promise<ModelFile[]> | undefined;

/** One engine per test file (each vitest file runs in its own process). */
export function testEngine(): Promise<WasmEngine> {
  return (enginePromise ??= openNodeEngine());
}

export function shippedModels(): Promise<ModelFile[]> {
  return (modelsPromise ??= loadModelFiles());
}

let fileCounter = 0;

/**
 * Registers a text as a file the engine can read, and inspects it like the app does; with
 * `sliceRecords` > 0 a file of more records is loaded in slices, each registered while it loads.
 */
export function textInput(engine: WasmEngine, name: string, text: string | Uint8Array, sliceRecords = 0): SourceInput {
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  // The engine is locked (as in the app): it reads registered files under INPUT_DIR only.
  const path = `${INPUT_DIR}fixture_${++fileCounter}.csv`;
  const inspection = inspectHead(name, bytes.length, bytes.subarray(0, 64 * 1024));
  const utf8 = toUtf8Bytes(bytes, inspection.encoding);
  engine.db.registerFileBuffer(path, utf8);
  const counter = new RecordLineCounter('"', sliceRecords);
  counter.push(utf8);
  const { dataRows, lines, cuts } = counter.finish();
  const input: SourceInput = { inspection, path };
  // As the app does: a sliced file's slices carry their own parts of the line map.
  if (cuts.length) {
    input.slices = registeredSlices(engine.db, path, sliceRanges(cuts, utf8.length, dataRows), lines, (name, range) => {
      engine.db.registerFileBuffer(name, utf8.slice(range.offset, range.end));
    });
  } else if (lines) {
    input.lineMapPath = `${path}.lines`;
    engine.db.registerFileText(input.lineMapPath, lineMapText(lines));
  }
  return input;
}

/**
 * Runs the whole pipeline; `texts` replaces the minimal file of the sources it names.
 * Pass `models` to run edited models; `sliceRecords` > 0 loads larger files in slices of that many records.
 */
export async function runOnTexts(
  texts: Partial<Record<SourceId, string | Uint8Array>>,
  options: Partial<RunOptions> = {},
  sliceRecords = 0,
): Promise<{ engine: WasmEngine; report: RunReport }> {
  const engine = await testEngine();
  const inputs = SOURCES.map((s) => textInput(engine, `${s.id}.csv`, texts[s.id] ?? MINIMAL[s.id], sliceRecords));
  const report = await runPipeline({ engine, models: await shippedModels(), inputs, runDate: RUN_DATE, ...options });
  return { engine, report };
}

/** Query helper: plain rows. */
export async function rows(sql: string): Promise<Record<string, unknown>[]> {
  return (await testEngine()).query(sql);
}

/**
 * Every table the run built, each in its stored order, and what the report says apart from
 * times: two runs that must agree compare equal. `modelLogs` adds each model's log lines.
 */
export async function runSnapshot(report: RunReport, { modelLogs }: { modelLogs: boolean }) {
  const tables = await rows(`
    select schema_name || '.' || table_name as t from duckdb_tables()
    where database_name = current_database() order by all`);
  const content: Record<string, unknown> = {};
  for (const { t } of tables) content[t as string] = await rows(`select * from ${t}`);
  const tasks = report.tasks.map((t) => ({
    id: t.id, state: t.state, rows: t.rows, log: t.log,
    models: t.models.map((m) => (modelLogs ? [m.id, m.state, m.rows, m.log] : [m.id, m.state, m.rows])),
  }));
  return { state: report.state, error: report.error, findings: report.findings, tasks, content };
}
