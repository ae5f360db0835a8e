/**
 * Deterministic sample data: the six CRM + ERP exports, with the same shape,
 * key conventions and kinds of dirt as the reference export, but made-up values.
 * Pure TypeScript (runs in a Web Worker too); files are produced as ~64 KiB
 * chunks so that large scales stream without being held in memory. The files are
 * written by customers.ts, catalogue.ts and sales.ts from what world.ts derives.
 */
import { sourceById, type SourceId } from '../pipeline/sources.ts';
import { categoryRows, productRows } from './catalogue.ts';
import { customerRows, erpCustomerRows, locationRows } from './customers.ts';
import { salesRows } from './sales.ts';
import { makeWorld } from './world.ts';

export { SAMPLE_BASE_COUNTS, SAMPLE_DIRT_RATES, SAMPLE_REFERENCE_DATE } from './world.ts';

export interface SampleOptions {
  scale: number;
  seed?: number;
}

export interface SampleFile {
  name: string;
  source: SourceId;
  chunks(): Generator<string>;
}

export const DEFAULT_SEED = 42;
const CHUNK_CHARS = 64 * 1024;

/** The six sample files, in contract order. Same options → byte-identical chunks. */
export function sampleFiles(opts: SampleOptions): SampleFile[] {
  const seed = opts.seed ?? DEFAULT_SEED;
  if (!Number.isFinite(opts.scale) || opts.scale <= 0) throw new RangeError(`scale must be > 0, got ${opts.scale}`);
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  const world = makeWorld(opts.scale, seed);
  const file = (source: SourceId, header: string, rows: () => Iterable<string>): SampleFile => ({
    name: sourceById(source).typicalFileName,
    source,
    chunks: () => chunked(header, rows()),
  });
  return [
    file('crm_cust_info', 'cst_id,cst_key,cst_firstname,cst_lastname,cst_marital_status,cst_gndr,cst_create_date', () => customerRows(world)),
    file('crm_prd_info', 'prd_id,prd_key,prd_nm,prd_cost,prd_line,prd_start_dt,prd_end_dt', () => productRows(world)),
    file('crm_sales_details', 'sls_ord_num,sls_prd_key,sls_cust_id,sls_order_dt,sls_ship_dt,sls_due_dt,sls_sales,sls_quantity,sls_price', () => salesRows(world)),
    file('erp_cust_az12', 'CID,BDATE,GEN', () => erpCustomerRows(world)),
    file('erp_loc_a101', 'CID,CNTRY', () => locationRows(world)),
    file('erp_px_cat_g1v2', 'ID,CAT,SUBCAT,MAINTENANCE', () => categoryRows()),
  ];
}

/** The whole file as one string; fine for small scales only. */
export function sampleFileText(file: SampleFile): string {
  let text = '';
  for (const chunk of file.chunks()) text += chunk;
  return text;
}

function* chunked(header: string, rows: Iterable<string>): Generator<string> {
  let buffer = header + '\n';
  for (const row of rows) {
    buffer += row;
    if (buffer.length >= CHUNK_CHARS) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer) yield buffer;
}
