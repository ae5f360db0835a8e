/**
 * What a Spark, Snowflake or BigQuery target would have to rewrite in each model: the
 * models are scanned (tokens, so comments and strings never count) for functions, types
 * and syntax that one of those dialects lacks. The list below says, per dialect, what to
 * use instead; it is a guide for porting, checked against each vendor's documentation,
 * not run here (only DuckDB is).
 */
import { tokenize, type Token } from '../sql/tokens.ts';

export const TARGETS = ['Spark', 'Snowflake', 'BigQuery'] as const;
export type Target = (typeof TARGETS)[number];

/** A DuckDB construct and its replacement on each target that lacks it (absent: the target has it). */
export interface DuckdbOnly {
  name: string;
  kind: 'function' | 'type' | 'syntax';
  instead: Partial<Record<Target, string>>;
}

const FUNCTIONS: DuckdbOnly[] = [
  { name: 'try_strptime', kind: 'function', instead: { Spark: "try_to_timestamp(s, 'yyyyMMdd') (Spark 3.5+)", Snowflake: "try_to_date(s, 'YYYYMMDD')", BigQuery: "safe.parse_date('%Y%m%d', s)" } },
  { name: 'regexp_full_match', kind: 'function', instead: { Spark: "s rlike '^…$'", Snowflake: 'regexp_like(s, p)', BigQuery: "regexp_contains(s, r'^…$')" } },
  { name: 'try_cast', kind: 'function', instead: { Snowflake: 'try_cast from text only (cast otherwise)', BigQuery: 'safe_cast' } },
  { name: 'make_date', kind: 'function', instead: { Snowflake: 'date_from_parts(y, m, d)', BigQuery: 'date(y, m, d)' } },
  { name: 'year', kind: 'function', instead: { BigQuery: 'extract(year from d)' } },
  { name: 'month', kind: 'function', instead: { BigQuery: 'extract(month from d)' } },
  { name: 'quantile_cont', kind: 'function', instead: { Spark: 'percentile(x, p)', Snowflake: 'percentile_cont(p) within group (order by x)', BigQuery: 'percentile_cont(x, p) over ()' } },
  { name: 'list', kind: 'function', instead: { Spark: 'collect_list (order with array_sort)', Snowflake: 'array_agg(x) within group (order by x)', BigQuery: 'array_agg(x order by x)' } },
  { name: 'min(x, n)', kind: 'function', instead: { Spark: 'slice(array_sort(collect_list(x)), 1, n)', Snowflake: 'array_slice(array_agg(x) within group (order by x), 0, n)', BigQuery: 'array_agg(x order by x limit n)' } },
  { name: 'arg_min', kind: 'function', instead: { Spark: 'min_by(x, key)', Snowflake: 'min_by(x, key)', BigQuery: 'array_agg(x order by key limit 1)[offset(0)]' } },
  { name: 'array_to_string', kind: 'function', instead: { Spark: 'array_join' } },
  { name: 'trunc', kind: 'function', instead: { Spark: 'cast(x as bigint) (trunc is for dates in Spark)' } },
  // with strlen and length: the test that spares trim the values it would leave as they are
  { name: 'prefix', kind: 'function', instead: { Spark: 'startswith(s, p)', Snowflake: 'startswith(s, p)', BigQuery: 'starts_with(s, p)' } },
  { name: 'suffix', kind: 'function', instead: { Spark: 'endswith(s, p)', Snowflake: 'endswith(s, p)', BigQuery: 'ends_with(s, p)' } },
  { name: 'strlen', kind: 'function', instead: { Spark: 'octet_length(s)', Snowflake: 'octet_length(s)', BigQuery: 'byte_length(s)' } },
  { name: 'getvariable', kind: 'function', instead: { Spark: 'a dbt var', Snowflake: 'a dbt var', BigQuery: 'a dbt var' } },
  { name: 'parse_filename', kind: 'function', instead: { Spark: 'input_file_name()', Snowflake: 'metadata$filename', BigQuery: '_FILE_NAME (external table)' } },
];

const TYPES: DuckdbOnly[] = [
  { name: 'hugeint', kind: 'type', instead: { Spark: 'decimal(38, 0)', Snowflake: 'number(38, 0)', BigQuery: 'bignumeric' } },
  { name: 'decimal(38, 6)', kind: 'type', instead: { BigQuery: 'bignumeric(38, 6) (numeric holds 29 digits before the point)' } },
];

const SYNTAX: DuckdbOnly[] = [
  { name: 'distinct on (…)', kind: 'syntax', instead: { Spark: 'row_number() over (…) = 1', Snowflake: 'qualify row_number() over (…) = 1', BigQuery: 'qualify row_number() over (…) = 1' } },
  { name: 'qualify', kind: 'syntax', instead: { Spark: 'a subquery filtered on the window value' } },
  { name: 'x::type', kind: 'syntax', instead: { Spark: 'cast(x as type) (before Spark 4)', BigQuery: 'cast(x as type)' } },
  { name: 'a // b', kind: 'syntax', instead: { Spark: 'a div b', Snowflake: 'floor(a / b)', BigQuery: 'div(a, b)' } },
  { name: 'list[a:b]', kind: 'syntax', instead: { Spark: 'slice(list, a, n)', Snowflake: 'array_slice(list, a - 1, b)', BigQuery: 'array_agg(… limit n)' } },
  { name: 'filter (where …)', kind: 'syntax', instead: { Snowflake: 'the aggregate of iff(c, x, null); count_if(c) for count(*)', BigQuery: 'the aggregate of if(c, x, null); countif(c) for count(*)' } },
  { name: '{name: value} (struct)', kind: 'syntax', instead: { Spark: 'named_struct(…)', Snowflake: 'object_construct(…)', BigQuery: 'struct(value as name)' } },
  { name: 'unnest([(…)])', kind: 'syntax', instead: { Spark: 'inline(array(struct(…)))', Snowflake: 'lateral flatten(array_construct(object_construct(…)))', BigQuery: 'unnest([struct(…)])' } },
  { name: 'trailing comma before from', kind: 'syntax', instead: { Spark: 'no comma after the last column' } },
  { name: 'with ordinality', kind: 'syntax', instead: { Spark: 'a line number from the loader', Snowflake: 'metadata$file_row_number', BigQuery: 'a line number from the loader' } },
];

export const DUCKDB_ONLY: readonly DuckdbOnly[] = [...FUNCTIONS, ...TYPES, ...SYNTAX];

const word = (t: Token | undefined, w: string) => t?.type === 'word' && t.text.toLowerCase() === w;
const punct = (t: Token | undefined, p: string) => t?.type === 'punct' && t.text === p;

/** Whether the call whose `(` is at `open` has a comma at its own depth (a second argument). */
function hasSecondArgument(tokens: Token[], open: number): boolean {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (punct(tokens[i], '(') || punct(tokens[i], '[')) depth++;
    else if (punct(tokens[i], ')') || punct(tokens[i], ']')) {
      if (--depth === 0) return false;
    } else if (depth === 1 && punct(tokens[i], ',')) return true;
  }
  return false;
}

/** Whether the construct `item` occurs in these tokens. */
function occurs(item: DuckdbOnly, tokens: Token[]): boolean {
  return tokens.some((t, i) => {
    const next = tokens[i + 1];
    switch (item.name) {
      case 'hugeint': return word(t, 'hugeint');
      case 'decimal(38, 6)': return word(t, 'decimal') && punct(next, '(') && tokens[i + 2]?.text === '38';
      case 'distinct on (…)': return word(t, 'distinct') && word(next, 'on');
      case 'qualify': return word(t, 'qualify');
      case 'with ordinality': return word(t, 'with') && word(next, 'ordinality');
      case 'x::type': return punct(t, ':') && punct(next, ':');
      case 'a // b': return punct(t, '/') && punct(next, '/') && next.from === t.to;
      case 'list[a:b]': return punct(t, '[') && tokens.slice(i + 1, i + 5).some((n) => punct(n, ':')) && i > 0 && punct(tokens[i - 1], ')');
      case 'min(x, n)': return word(t, 'min') && punct(next, '(') && hasSecondArgument(tokens, i + 1);
      case 'filter (where …)': return word(t, 'filter') && punct(next, '(') && word(tokens[i + 2], 'where');
      case '{name: value} (struct)': return punct(t, '{') && next?.type === 'word' && punct(tokens[i + 2], ':');
      case 'unnest([(…)])': return word(t, 'unnest') && punct(next, '(') && punct(tokens[i + 2], '[');
      case 'trailing comma before from': return punct(t, ',') && word(next, 'from');
      default: return item.kind === 'function' && word(t, item.name) && punct(next, '(');
    }
  });
}

/** The DuckDB-only constructs a model's SQL uses, in the order of the list above. */
export function duckdbOnlyIn(sql: string): DuckdbOnly[] {
  const { tokens } = tokenize(sql);
  return DUCKDB_ONLY.filter((item) => occurs(item, tokens));
}

/**
 * A Markdown section: per model, what each target has to replace, then what to use
 * instead of each construct found. `models` are (name, SQL) pairs as the project has them.
 */
export function portabilityMarkdown(models: { name: string; sql: string }[]): string {
  const found = models.map((m) => ({ name: m.name, items: duckdbOnlyIn(m.sql) }));
  const perModel = found.map(({ name, items }) => {
    const cells = TARGETS.map((t) => items.filter((i) => i.instead[t]).map((i) => `\`${i.name}\``).join(', ') || '—');
    return `| ${name} | ${cells.join(' | ')} |`;
  });
  const used = DUCKDB_ONLY.filter((item) => found.some((m) => m.items.includes(item)));
  const legend = used.map((item) => `| \`${item.name}\` | ${TARGETS.map((t) => (item.instead[t] ? `\`${item.instead[t]!.replaceAll('|', '\\|')}\`` : 'as is')).join(' | ')} |`);
  return [
    '| model | Spark | Snowflake | BigQuery |',
    '|:--|:--|:--|:--|',
    ...perModel,
    '',
    '| DuckDB | Spark | Snowflake | BigQuery |',
    '|:--|:--|:--|:--|',
    ...legend,
    '',
  ].join('\n');
}
