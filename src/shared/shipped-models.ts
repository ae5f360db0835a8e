/** The shipped models, bundled as text by Vite (the CLI reads the same files from disk). */
import type { ModelFile } from '../pipeline/dag.ts';

const files = import.meta.glob('../../models/**/*.sql', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

export const SHIPPED_MODELS: ModelFile[] = Object.entries(files)
  .map(([path, sql]) => ({ path: path.replace(/^(\.\.\/)+/, ''), sql }))
  .sort((a, b) => a.path.localeCompare(b.path));
