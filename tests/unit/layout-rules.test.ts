/**
 * The lint rules that keep the worker/page line where the folders say it is: worker,
 * Node and shared code never import the page; the page never imports DuckDB or the
 * worker's internals (only the API types of workers/engine.worker.ts).
 */
import { ESLint } from 'eslint';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const eslint = new ESLint({ cwd: root });

/** The messages of the import rule for `code` as if it were the file at `file`. */
async function importProblems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result.messages.filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports').map((m) => m.message);
}

describe('the worker/page line in lint', () => {
  it('refuses page code in the worker, in Node and in shared code', async () => {
    const pageCode = expect.stringContaining('src/lib/ is the page');
    const svelte = expect.stringContaining('Svelte belongs to the page');
    expect(await importProblems('src/workers/run/x.ts', "import { engineClient } from '../../lib/engine-client.svelte.ts';\nexport const x = engineClient;\n")).toContainEqual(pageCode);
    expect(await importProblems('src/pipeline/x.ts', "import { untrack } from 'svelte';\nexport const x = untrack;\n")).toEqual([svelte]);
    expect(await importProblems('src/shared/x.ts', "import Chart from '../lib/dashboards/Chart.svelte';\nexport const x = Chart;\n")).toEqual([pageCode, svelte]);
    expect(await importProblems('src/workers/run/x.ts', "import { sampleFiles } from '../../sample-data/generator.ts';\nexport const x = sampleFiles;\n")).toEqual([]);
  });

  it('refuses DuckDB and worker internals in the page, but allows the worker API types', async () => {
    expect(await importProblems('src/lib/x.ts', "import * as duckdb from '@duckdb/duckdb-wasm';\nexport const x = duckdb;\n")).toHaveLength(1);
    expect(await importProblems('src/lib/x.ts', "import { withEngine } from '../workers/engine-access.ts';\nexport const x = withEngine;\n")).toHaveLength(1);
    expect(await importProblems('src/lib/x.ts', "import { openBrowserEngine } from '../duckdb/wasm-browser.ts';\nexport const x = openBrowserEngine;\n")).toHaveLength(1);
    expect(await importProblems('src/lib/x.ts', "import { runApi } from '../workers/engine.worker.ts';\nexport const x = runApi;\n")).toHaveLength(1);
    expect(await importProblems('src/lib/x.ts', "import type { EngineApi } from '../workers/engine.worker.ts';\nexport type X = EngineApi;\n")).toEqual([]);
    expect(await importProblems('src/lib/x.ts', "import { quoteIdent } from '../sql/quote.ts';\nexport const x = quoteIdent;\n")).toEqual([]);
  });
});
