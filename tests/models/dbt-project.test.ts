/**
 * The generated dbt project builds the same tables as the app. dbt cannot be installed
 * here, so its Jinja is filled in by tests/helpers/dbt-render.ts (ref, source and var
 * only: anything else fails), the measures' on-run-start macros are run, every model is
 * built on native DuckDB in the order its refs give, and every table is compared, row
 * for row, with the app's run of the real export; the data tests find what the app found.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NativeEngine } from '../../src/duckdb/native-engine.ts';
import { expandInputs, inspectPath, linkInputFiles, loadModelFiles, REPO_ROOT } from '../../src/cli/node-inputs.ts';
import { runPipeline } from '../../src/pipeline/runner.ts';
import { SOURCES } from '../../src/pipeline/sources.ts';
import type { RunReport } from '../../src/pipeline/types.ts';
import { dbtModels, dbtProject, type DbtFile } from '../../src/dbt/project.ts';
import { portabilityMarkdown } from '../../src/dbt/portability.ts';
import { renderJinja, type JinjaContext } from '../helpers/dbt-render.ts';

const REAL = path.resolve(REPO_ROOT, '../shared/datasets/retail-dw');
const RUN_DATE = '2026-02-01';

interface BuiltModel { name: string; schema: string; alias: string; sql: string; refs: string[] }

let engine: NativeEngine;
let report: RunReport;
let appCatalog: string;
let files: DbtFile[];
const text = (p: string) => files.find((f) => f.path === p)!.text;

/** The project's models: schema from the folder, alias from the folder's yml, refs from the SQL. */
function projectModels(): BuiltModel[] {
  return files.filter((f) => /^models\/\w+\/\w+\.sql$/.test(f.path)).map((f) => {
    const [, schema, name] = /^models\/(\w+)\/(\w+)\.sql$/.exec(f.path)!;
    const yml = text(`models/${schema}/_${schema}.yml`);
    const alias = new RegExp(`- name: ${name}\\n(?:    description: .*\\n)?    config:\\n      alias: (\\w+)`).exec(yml)?.[1];
    if (!alias) throw new Error(`no alias for ${name} in _${schema}.yml`);
    const refs = [...f.text.matchAll(/\{\{\s*ref\('(\w+)'\)\s*\}\}/g)].map((m) => m[1]);
    return { name, schema, alias, sql: f.text, refs };
  });
}

function inDependencyOrder(models: BuiltModel[]): BuiltModel[] {
  const done = new Set<string>();
  const ordered: BuiltModel[] = [];
  while (ordered.length < models.length) {
    const ready = models.filter((m) => !done.has(m.name) && m.refs.every((r) => done.has(r)));
    if (!ready.length) throw new Error('the refs of the project form a cycle or name a missing model');
    for (const m of ready) {
      done.add(m.name);
      ordered.push(m);
    }
  }
  return ordered;
}

beforeAll(async () => {
  engine = await NativeEngine.open({ threads: 2 });
  const inspected = await Promise.all((await expandInputs([REAL])).map((f) => inspectPath(f)));
  const linked = await linkInputFiles(inspected);
  report = await runPipeline({ engine, models: await loadModelFiles(), inputs: linked.inputs, runDate: RUN_DATE });
  await linked.remove();
  [{ appCatalog }] = await engine.query<{ appCatalog: string }>('select current_database() as appCatalog');
  files = dbtProject(await loadModelFiles(), { runDate: RUN_DATE });
}, 240_000);

afterAll(() => engine?.close());

describe('the generated dbt project', () => {
  it('builds every table the app builds, the same row for row, and its data tests find what the app found', async () => {
    expect(report.state).toBe('success');
    // The real files, by source, as the vars would name them.
    const inspected = await Promise.all((await expandInputs([REAL])).map((f) => inspectPath(f)));
    const vars: Record<string, string> = { run_date: RUN_DATE };
    for (const s of SOURCES) vars[`${s.id}_path`] = inspected.find((i) => i.inspection.source === s.id)!.path;
    const locations = new Map([...text('models/sources.yml').matchAll(/^ {6}- name: (\w+)\n(?: {8}.*\n)*? {10}external_location: (".*")$/gm)]
      .map((m) => [m[1], JSON.parse(m[2]) as string]));
    const models = projectModels();
    const byName = new Map(models.map((m) => [m.name, m]));
    const ctx: JinjaContext = {
      ref: (name) => {
        const m = byName.get(name);
        if (!m) throw new Error(`ref to a model that is not in the project: ${name}`);
        return `${m.schema}.${m.alias}`;
      },
      source: (source, table) => {
        const location = locations.get(table);
        if (source !== 'retail' || !location) throw new Error(`unknown source ${source}.${table}`);
        return renderJinja(location, ctx, `sources.yml ${table}`);
      },
      var: (name) => {
        if (!(name in vars)) throw new Error(`var ${name} has no value`);
        return vars[name];
      },
    };

    await engine.exec(`attach ':memory:' as dbt; use dbt;`);
    for (const schema of new Set(models.map((m) => m.schema))) await engine.exec(`create schema ${schema};`);
    // on-run-start: each hook calls a macro of macros/measures.sql that creates one measure.
    const hooks = [...text('dbt_project.yml').matchAll(/^ {2}- "\{\{ (\w+)\(\) \}\}"$/gm)].map((m) => m[1]);
    expect(hooks).toHaveLength(6);
    for (const hook of hooks) {
      const body = new RegExp(`\\{% macro ${hook}\\(\\) %\\}\\n([^{]*)\\n\\{% endmacro %\\}`).exec(text('macros/measures.sql'))?.[1];
      expect(body, hook).toMatch(/^create or replace macro \w+\(/);
      await engine.exec(body!);
    }
    for (const m of inDependencyOrder(models)) {
      await engine.exec(`create table ${m.schema}.${m.alias} as\n${renderJinja(m.sql, ctx, m.name)}`);
    }

    const appTables = await engine.query<{ id: string }>(
      `select schema_name || '.' || table_name as id from duckdb_tables() where database_name = ? order by 1`, [appCatalog],
    );
    expect(models.map((m) => `${m.schema}.${m.alias}`).sort()).toEqual(appTables.map((t) => t.id));
    for (const { id } of appTables) {
      const columns = (db: string) => engine.query(
        `select column_name, data_type from duckdb_columns() where database_name = ? and schema_name || '.' || table_name = ? order by column_index`,
        [db, id],
      );
      expect(await columns('dbt'), id).toEqual(await columns(appCatalog));
      const [{ rows, onlyApp, onlyDbt }] = await engine.query<{ rows: number; onlyApp: number; onlyDbt: number }>(
        `select (select count(*) from ${appCatalog}.${id})::integer as rows,
           (select count(*) from (from ${appCatalog}.${id} except all from dbt.${id}))::integer as onlyApp,
           (select count(*) from (from dbt.${id} except all from ${appCatalog}.${id}))::integer as onlyDbt`,
      );
      expect({ id, onlyApp, onlyDbt }).toEqual({ id, onlyApp: 0, onlyDbt: 0 });
      expect(rows, id).toBe(report.tables[id] ?? rows);
    }

    // The data tests, in their severity's folder, return as many rows as the app's findings counted.
    const appFindings = new Map(report.findings.map((f) => [f.check, f.count]));
    const tests = files.filter((f) => f.path.startsWith('tests/'));
    expect(tests.length).toBeGreaterThan(0);
    for (const t of tests) {
      const [, severity, name] = /^tests\/(error|warn)\/(\w+)\.sql$/.exec(t.path)!;
      expect(t.text, name).toMatch(new RegExp(`^-- severity: ${severity}$`, 'm'));
      const [{ n }] = await engine.query<{ n: number }>(`select count(*)::integer as n from (${renderJinja(t.text, ctx, name)})`);
      expect(n, name).toBe(appFindings.get(name) ?? 0);
    }
  }, 240_000);

  it('is made from the models as given, edits included, and refuses SQL that dbt would read as Jinja', async () => {
    const shipped = await loadModelFiles();
    const edited = shipped.map((m) => (m.path === 'models/kpi/overview.sql' ? { ...m, sql: m.sql.replace('max(order_date) as last_order_date,', 'max(order_date) as last_order_date,\n    42 as edited_here,') } : m));
    const project = dbtProject(edited, { runDate: RUN_DATE });
    expect(project.find((f) => f.path === 'models/kpi/kpi_overview.sql')!.text).toContain('42 as edited_here');
    expect(() => dbtProject(edited.map((m) => (m.path === 'models/kpi/overview.sql' ? { ...m, sql: `${m.sql}\n-- {{ not jinja }}` } : m)), { runDate: RUN_DATE }))
      .toThrow(/models\/kpi\/overview\.sql contains/);
    expect(() => renderJinja("{% if x %}select 1{% endif %}", { ref: String, source: String, var: String }, 'x')).toThrow(/other than ref/);
    expect(() => renderJinja("select {{ config(alias='x') }}", { ref: String, source: String, var: String }, 'x')).toThrow(/other than ref/);
    // The one source of truth: nothing of the project is kept in the repository.
    expect((await readdir(REPO_ROOT)).filter((f) => /dbt/i.test(f))).toEqual([]);
  });

  it('lists, in docs/scale.md as in its README, what other warehouses would have to replace, generated from the models', async () => {
    const section = portabilityMarkdown(dbtModels(await loadModelFiles()).models);
    expect(text('README.md')).toContain(section);
    const doc = path.join(REPO_ROOT, 'docs/scale.md');
    const current = await readFile(doc, 'utf8');
    const block = /(<!-- portability:begin -->\n)[\s\S]*?(<!-- portability:end -->)/;
    const expected = current.replace(block, `$1${section}$2`);
    if (process.env.UPDATE_DOCS === '1') await writeFile(doc, expected);
    else expect(current, 'docs/scale.md is out of date: UPDATE_DOCS=1 npx vitest run tests/models/dbt-project.test.ts').toBe(expected);
    expect(section).toMatch(/\| silver_crm_sales_details \| .*`try_strptime`/);
  });
});
