/**
 * The Models page's "Download dbt project": the models as they stand in this browser
 * (local edits included) made into a dbt project (src/dbt/) and zipped here with fflate.
 * Pure text work: nothing reaches the engine.
 */
import { strToU8, zipSync } from 'fflate';
import type { ModelFile } from '../../pipeline/dag.ts';
import { DBT_PROJECT_NAME, dbtProject } from '../../dbt/project.ts';
import { saveBlob } from '../download.ts';

export const DBT_ZIP_NAME = 'retail-workbench-dbt.zip';

/** The project as ZIP bytes, its files in one folder; `runDate` is the run_date var's default. */
export function dbtProjectZip(models: ModelFile[], runDate: string): { bytes: Uint8Array; files: number } {
  const files = dbtProject(models, { runDate });
  const entries = Object.fromEntries(files.map((f) => [`${DBT_PROJECT_NAME}/${f.path}`, strToU8(f.text)]));
  return { bytes: zipSync(entries, { level: 6 }), files: files.length };
}

/** Builds and saves the ZIP; returns how many files it holds. */
export function downloadDbtProject(models: ModelFile[]): number {
  const { bytes, files } = dbtProjectZip(models, new Date().toISOString().slice(0, 10));
  saveBlob(new Blob([bytes as BlobPart], { type: 'application/zip' }), DBT_ZIP_NAME);
  return files;
}
