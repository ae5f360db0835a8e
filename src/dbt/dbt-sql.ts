/**
 * The SQL of the dbt project, made from the models: every `layer.table` reference the
 * DAG knows becomes `{{ ref('layer_table') }}`, `getvariable('run_date')` becomes the
 * `run_date` var, and bronze (built by TypeScript in the app) becomes one model per
 * source reading `{{ source('retail', id) }}`, generated from the source contracts.
 * Only `ref`, `source` and `var` appear: nothing else of Jinja.
 */
import { LAYERS } from '../pipeline/dag.ts';
import { SOURCES, type SourceContract } from '../pipeline/sources.ts';
import { quoteIdent } from '../sql/quote.ts';
import { tokenize, type Token } from '../sql/tokens.ts';

/** The name of the source in sources.yml. */
export const SOURCE_NAME = 'retail';

/** A model file that cannot become part of a dbt project, with the reason. */
export class DbtProjectError extends Error {}

/** `gold.fact_sales` → `gold_fact_sales`: dbt model names are unique across folders. */
export function dbtModelName(id: string): string {
  return id.replace('.', '_');
}

/** The var holding a source file's path. */
export function pathVar(sourceId: string): string {
  return `${sourceId}_path`;
}

const JINJA = /\{[{%#]/;

/**
 * A model's (or data test's) SQL with its references as `ref()` calls. `known` holds the
 * `layer.table` ids that exist (models and bronze tables).
 */
export function toDbtSql(path: string, sql: string, known: Set<string>): string {
  if (JINJA.test(sql)) throw new DbtProjectError(`${path} contains "{{", "{%" or "{#", which dbt would read as Jinja`);
  const { tokens } = tokenize(sql);
  const edits: { from: number; to: number; text: string }[] = [];
  tokens.forEach((t, i) => {
    const ref = referenceAt(tokens, i);
    if (ref && known.has(ref.id)) edits.push({ from: t.from, to: ref.to, text: `{{ ref('${dbtModelName(ref.id)}') }}` });
    if (isRunDateVariable(tokens, i)) edits.push({ from: t.from, to: tokens[i + 3].to, text: `cast('{{ var("run_date") }}' as date)` });
  });
  let out = sql;
  for (const edit of edits.reverse()) out = out.slice(0, edit.from) + edit.text + out.slice(edit.to);
  return out;
}

/** `layer . table` starting at token i (not part of a longer dotted name). */
function referenceAt(tokens: Token[], i: number): { id: string; to: number } | undefined {
  const [layer, dot, table, after] = [tokens[i], tokens[i + 1], tokens[i + 2], tokens[i + 3]];
  if (layer?.type !== 'word' || dot?.text !== '.' || table?.type !== 'word') return undefined;
  if (!(LAYERS as readonly string[]).includes(layer.text.toLowerCase())) return undefined;
  if (tokens[i - 1]?.text === '.' || after?.text === '.') return undefined;
  return { id: `${layer.text.toLowerCase()}.${table.text.toLowerCase()}`, to: table.to };
}

function isRunDateVariable(tokens: Token[], i: number): boolean {
  const [name, open, arg, close] = tokens.slice(i, i + 4);
  return name?.type === 'word' && name.text.toLowerCase() === 'getvariable' && open?.text === '(' &&
    arg?.type === 'string' && arg.text.toLowerCase() === "'run_date'" && close?.text === ')';
}

/** The bronze model of one source: its contract's columns as text, the file name and each record's line. */
export function bronzeModelSql(source: SourceContract): string {
  const columns = source.columns.map((c) => `    ${quoteIdent(c)} as ${quoteIdent(c)},`);
  return [
    `-- grain: one row per record of the ${source.label} file (${source.typicalFileName}), every value as text`,
    '-- Generated from the source contract (src/pipeline/sources.ts); the app builds this table in TypeScript.',
    'select',
    ...columns,
    '    parse_filename(filename) as _source_file,',
    '    (ordinality + 1)::integer as _source_line,',
    `from {{ source('${SOURCE_NAME}', '${source.id}') }} with ordinality`,
    '',
  ].join('\n');
}

/** How sources.yml reads a file: every column as text, with its file name; the path is a var. */
export function externalLocation(sourceId: string): string {
  return `read_csv('{{ var("${pathVar(sourceId)}") }}', header = true, all_varchar = true, filename = true)`;
}

/** Bronze ids, as the DAG names them. */
export const BRONZE_IDS = SOURCES.map((s) => `bronze.${s.id}`);
