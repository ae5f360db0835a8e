/**
 * run.json of the package: when the run was, which inputs (with SHA-256 checksums)
 * it read, what every task did, the row count of every table, and every file of
 * the package with its columns and types. Built from the run report and the tables.
 */
import type { ExportFormat } from '../pipeline/exports.ts';
import type { RunReport } from '../pipeline/types.ts';

/** One file of the package as the manifest lists it. */
export interface ManifestFile {
  name: string;
  /** `schema.table` it holds, for table files. */
  table?: string;
  rows?: number;
  columns?: { name: string; type: string }[];
  description: string;
}

export const MANIFEST_VERSION = 1;

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

/** The manifest as an object (JSON-safe). */
export function buildManifest(report: RunReport, format: ExportFormat, files: ManifestFile[], csvRaw = false) {
  return {
    manifestVersion: MANIFEST_VERSION,
    generator: 'Retail Analytics Workbench',
    runId: report.runId,
    state: report.state,
    startedAt: iso(report.startedAt),
    endedAt: iso(report.endedAt),
    durationMs: report.durationMs,
    format,
    // How CSV text that a spreadsheet would run as a formula is written: `'`-prefixed, or as stored.
    csvFormulas: format === 'csv' ? (csvRaw ? 'raw' : 'neutralised') : undefined,
    inputs: report.inputs.map((i) => ({ name: i.name, source: i.source, bytes: i.size, sha256: i.sha256 ?? null })),
    tables: report.tables,
    files,
    tasks: report.tasks.map((t) => ({
      id: t.id,
      state: t.state,
      durationMs: t.durationMs,
      rows: t.rows,
      log: t.log,
      steps: t.models.map((m) => ({ id: m.id, state: m.state, rows: m.rows, durationMs: m.durationMs, log: m.log })),
    })),
    findings: report.findings.map((f) => ({ check: f.check, severity: f.severity, target: f.target, count: f.count, message: f.message })),
    error: report.error,
  };
}

/** run.json's text. */
export function manifestJson(report: RunReport, format: ExportFormat, files: ManifestFile[], csvRaw = false): string {
  return `${JSON.stringify(buildManifest(report, format, files, csvRaw), null, 2)}\n`;
}
