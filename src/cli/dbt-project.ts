/** Writes the models as a dbt project to a folder (npm run pipeline -- --dbt-project <dir>). */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ModelFile } from '../pipeline/dag.ts';
import { dbtProject, type DbtOptions } from '../dbt/project.ts';

/** Writes every file of the project under `dir`; returns how many. */
export async function writeDbtProject(dir: string, models: ModelFile[], opts: Partial<DbtOptions> = {}): Promise<number> {
  const files = dbtProject(models, { runDate: opts.runDate ?? new Date().toISOString().slice(0, 10), inputPaths: opts.inputPaths });
  for (const file of files) {
    const target = path.join(dir, ...file.path.split('/'));
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, file.text);
  }
  return files.length;
}
