/**
 * The engine worker: the one place DuckDB-WASM lives. Exposes one typed object
 * over comlink; big results leave as Arrow IPC bytes, transferred.
 */
import * as Comlink from 'comlink';
import { DuckDBDataProtocol } from 'duckdb-browser-blocking';
import { HEAD_BYTES, inspectHead, type FileInspection } from '../pipeline/csv-inspect.ts';
import { CSV_COPY_OPTIONS } from '../pipeline/exports.ts';
import type { SourceInput } from '../pipeline/ingest.ts';
import { runPipeline } from '../pipeline/runner.ts';
import { countRecords, lineMapText } from '../pipeline/record-lines.ts';
import { toUtf8Stream } from '../pipeline/transcode.ts';
import { sampleFiles } from '../pipeline/sample-data.ts';
import type { RunReport } from '../pipeline/types.ts';
import type { WasmEngine } from '../pipeline/wasm-engine.ts';
import { Mutex } from '../pipeline/mutex.ts';
import { quoteIdent } from '../pipeline/sql-quote.ts';
import { openBrowserEngine } from './duckdb.ts';
import { SHIPPED_MODELS } from './models.ts';

export interface InspectedFile extends FileInspection {
  /** Data rows (lines after the header), counted by streaming the file. */
  rows: number;
}

export interface TableInfo {
  schema: string;
  name: string;
  rows: number;
  columns: { name: string; type: string }[];
}

export interface PreviewRequest {
  schema: string;
  name: string;
  offset: number;
  limit: number;
  orderBy?: string;
  descending?: boolean;
}

let enginePromise: Promise<WasmEngine> | undefined;
const engine = () => (enginePromise ??= openBrowserEngine());
const lock = new Mutex();
let cancelRequested = false;
let fileCounter = 0;
const exports = new Map<string, Blob>();

/** Inspects a file and reads it once through: its UTF-8 content, rows and record lines. */
async function readInput(file: File): Promise<{ inspected: InspectedFile; utf8: Blob; lines: Int32Array | null }> {
  const head = new Uint8Array(await file.slice(0, HEAD_BYTES).arrayBuffer());
  const inspection = inspectHead(file.webkitRelativePath || file.name, file.size, head);
  const utf8 = inspection.encoding === 'utf-8' ? file : await new Response(toUtf8Stream(file.stream(), inspection.encoding)).blob();
  const { dataRows, lines } = inspection.problem ? { dataRows: 0, lines: null } : await countRecords(utf8.stream());
  return { inspected: { ...inspection, rows: dataRows }, utf8, lines };
}

async function sha256(file: Blob): Promise<string | undefined> {
  // Hashing reads the whole file; skip it for very large inputs.
  if (file.size > 256 * 1024 * 1024) return undefined;
  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

const api = {
  /** Starts the engine once; resolves with DuckDB's version. */
  async init(): Promise<{ version: string }> {
    const e = await engine();
    return { version: e.db.getVersion() };
  },

  /** Recognises each file by its header and counts its rows. */
  async inspect(files: File[]): Promise<InspectedFile[]> {
    return Promise.all(files.map(async (f) => (await readInput(f)).inspected));
  },

  /** The built-in sample data as files, made by the same generator as the CLI. */
  async sampleFiles(scale = 1): Promise<File[]> {
    return sampleFiles({ scale }).map((f) => new File([...f.chunks()], f.name, { type: 'text/csv' }));
  },

  /** Runs the whole DAG on these files; the previous results stay until it succeeds. */
  async run(files: File[], onProgress?: (report: RunReport) => void): Promise<RunReport> {
    return lock.run(async () => {
      const e = await engine();
      cancelRequested = false;
      const inputs: SourceInput[] = [];
      const registered: string[] = [];
      try {
        for (const file of files) {
          const path = `input_${++fileCounter}.csv`;
          const { inspected, utf8, lines } = await readInput(file);
          // Read through the file handle (slices on demand), UTF-8 whatever the file's encoding.
          e.db.registerFileHandle(path, utf8, DuckDBDataProtocol.BROWSER_FILEREADER, true);
          registered.push(path);
          const input: SourceInput = { inspection: inspected, path, sha256: await sha256(file) };
          if (lines) {
            input.lineMapPath = `${path}.lines.csv`;
            e.db.registerFileText(input.lineMapPath, lineMapText(lines));
            registered.push(input.lineMapPath);
          }
          inputs.push(input);
        }
        const produced = new Map<string, Blob>();
        const report = await runPipeline({
          engine: e,
          models: SHIPPED_MODELS,
          inputs,
          onProgress: (r) => onProgress?.(r),
          isCancelled: () => cancelRequested,
          exporter: async (file, sql) => {
            const bytes = await sql.copyToBytes(`select * from ${file.table}`, CSV_COPY_OPTIONS);
            produced.set(file.name, new Blob([bytes as BlobPart], { type: 'text/csv' }));
            return bytes.byteLength;
          },
        });
        if (report.state === 'success') {
          exports.clear();
          for (const [name, blob] of produced) exports.set(name, blob);
        }
        return report;
      } finally {
        for (const path of registered) e.db.dropFile(path);
      }
    });
  },

  /** Asks the running pipeline to stop at its next statement. */
  cancel(): void {
    cancelRequested = true;
  },

  /** The overview KPIs of the current results, or null before the first good run. */
  async kpis(): Promise<Record<string, number> | null> {
    return lock.run(async () => {
      const e = await engine();
      const exists = await e.query(`select 1 from duckdb_tables() where database_name = current_database() and schema_name = 'kpi' and table_name = 'overview'`);
      if (exists.length === 0) return null;
      const [row] = await e.query(`select * exclude (first_order_date, last_order_date) from kpi.overview`);
      return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)]));
    });
  },

  /** Every table of the current results with its row count and columns. */
  async tables(): Promise<TableInfo[]> {
    return lock.run(async () => {
      const e = await engine();
      const cols = await e.query<{ schema: string; name: string; column: string; type: string }>(
        `select schema_name as schema, table_name as name, column_name as column, data_type as type
         from duckdb_columns() where database_name = current_database() and schema_name <> 'main'
         order by schema_name, table_name, column_index`,
      );
      const tables = new Map<string, TableInfo>();
      for (const c of cols) {
        const key = `${c.schema}.${c.name}`;
        if (!tables.has(key)) tables.set(key, { schema: c.schema, name: c.name, rows: 0, columns: [] });
        tables.get(key)!.columns.push({ name: c.column, type: c.type });
      }
      for (const t of tables.values()) {
        const [{ n }] = await e.query<{ n: number }>(`select count(*)::integer as n from ${quoteIdent(t.schema)}.${quoteIdent(t.name)}`);
        t.rows = n;
      }
      return [...tables.values()];
    });
  },

  /** One page of a table, sorted, as Arrow IPC bytes (transferred). */
  async preview(req: PreviewRequest): Promise<Uint8Array> {
    return lock.run(async () => {
      const e = await engine();
      const known = await e.query<{ column: string }>(
        `select column_name as column from duckdb_columns()
         where database_name = current_database() and schema_name = ? and table_name = ?`,
        [req.schema, req.name],
      );
      if (known.length === 0) throw new Error(`no table ${req.schema}.${req.name}`);
      const order = req.orderBy && known.some((k) => k.column === req.orderBy)
        ? `order by ${quoteIdent(req.orderBy)} ${req.descending ? 'desc' : 'asc'} nulls last`
        : '';
      const limit = Math.max(0, Math.min(1000, Math.floor(req.limit)));
      const offset = Math.max(0, Math.floor(req.offset));
      const bytes = e.ipc(`select * from ${quoteIdent(req.schema)}.${quoteIdent(req.name)} ${order} limit ${limit} offset ${offset}`);
      return Comlink.transfer(bytes, [bytes.buffer]);
    });
  },

  /** The files made by the last good run's export_for_powerbi task. */
  async exportedFiles(): Promise<{ name: string; bytes: number }[]> {
    return [...exports].map(([name, blob]) => ({ name, bytes: blob.size }));
  },

  async exportedFile(name: string): Promise<Blob> {
    const blob = exports.get(name);
    if (!blob) throw new Error(`no exported file ${name}`);
    return blob;
  },
};

export type EngineApi = typeof api;

Comlink.expose(api);
