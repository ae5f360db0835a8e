/**
 * validate_data: runs every contract check (contracts.ts) against the bronze tables.
 * Each check becomes one query that returns the violating rows' count and a sample.
 */
import { AMOUNT, CONTRACTS, type ContractCheck, type KeyTransform, type ValueType } from './contracts.ts';
import type { SqlEngine } from '../duckdb/sql-engine.ts';
import { sourceById, type SourceId } from './sources.ts';
import { quoteIdent, quoteLiteral } from '../sql/quote.ts';
import type { Finding } from './types.ts';

const SAMPLE_ROWS = 5;

function col(alias: string, column: string): string {
  return `${alias}.${quoteIdent(column)}`;
}

/**
 * `trim(column)` at less cost: trim decodes every character of every value to find Unicode spaces
 * (category Zs). A value that is all ASCII (as many bytes as characters) with no space at either
 * end has none to remove, so it is taken as it is; only the others go through trim. Same result
 * for every value (tests/models/trimmed.test.ts tries every code point, on both engines).
 */
export function trimmed(column: string): string {
  return `(case when not prefix(${column}, ' ') and not suffix(${column}, ' ') and strlen(${column}) = length(${column})
    then ${column} else trim(${column}) end)`;
}

function transform(kind: KeyTransform, expr: string): string {
  const t = trimmed(expr);
  switch (kind) {
    case 'trim': return t;
    case 'prd_key_tail': return `substr(${t}, 7)`;
    case 'prd_key_category': return `replace(substr(${t}, 1, 5), '-', '_')`;
    case 'strip_nas': return `case when ${t} like 'NAS%' then substr(${t}, 4) else ${t} end`;
    case 'strip_dashes': return `replace(${t}, '-', '')`;
  }
}

function parseFails(type: ValueType, v: string): string {
  switch (type) {
    case 'integer': return `try_cast(${v} as bigint) is null`;
    case 'number': return `try_cast(${v} as double) is null`;
    case 'amount': return `try_cast(${v} as ${AMOUNT}) is null`;
    case 'date': return `try_strptime(${v}, '%Y-%m-%d') is null`;
    case 'yyyymmdd': return `(not regexp_full_match(${v}, '[0-9]{8}') or try_strptime(${v}, '%Y%m%d') is null)`;
  }
}

const TYPE_WORDS: Record<ValueType, string> = {
  integer: 'a whole number', number: 'a number', amount: 'an amount (a number below one trillion)',
  date: 'a date (yyyy-mm-dd)', yyyymmdd: 'a date (yyyymmdd)',
};

interface CompiledCheck {
  name: string;
  columns: string[];
  /** SQL predicate over alias `s`, true for a violating row. */
  predicate: string;
  says: string;
}

/** Turns one declared check into a predicate; exported for tests. */
export function compileCheck(source: SourceId, check: ContractCheck): CompiledCheck | undefined {
  if (check.kind === 'min_rows' || check.kind === 'rule') {
    if (check.kind === 'min_rows') return undefined;
    return { name: check.name, columns: check.columns, predicate: `(${check.violation})`, says: check.says };
  }
  const c = col('s', check.column);
  const t = trimmed(c);
  const present = `nullif(${t}, '') is not null`;
  switch (check.kind) {
    case 'not_null':
      return { name: `not_null(${check.column})`, columns: [check.column], predicate: `not (${present})`, says: 'is empty' };
    case 'parses_as':
      return {
        name: `parses_as_${check.type}(${check.column})`, columns: [check.column],
        predicate: `${present} and ${parseFails(check.type, t)}`, says: `is not ${TYPE_WORDS[check.type]}`,
      };
    case 'unique':
      return {
        name: `unique(${check.column})`, columns: [check.column],
        predicate: `${present} and ${t} in (select ${t} from bronze.${source} s group by 1 having count(*) > 1)`,
        says: 'is not unique',
      };
    case 'accepted_values':
      return {
        name: `accepted_values(${check.column})`, columns: [check.column],
        predicate: `coalesce(upper(${t}), '') not in (${check.values.map(quoteLiteral).join(', ')})`,
        says: `is not one of ${check.values.join(', ')}`,
      };
    case 'not_in_future':
      return {
        name: `not_in_future(${check.column})`, columns: [check.column],
        predicate: `try_cast(${t} as date) > getvariable('run_date')`, says: 'is in the future',
      };
    case 'references': {
      const target = col('t', check.toColumn);
      return {
        name: `references(${check.column} -> ${check.to}.${check.toColumn})`, columns: [check.column],
        predicate: `${present} and not exists (select 1 from bronze.${check.to} t
          where ${transform(check.toTransform, target)} = ${transform(check.transform, c)})`,
        says: `has no match in ${sourceById(check.to).label} ${check.toColumn}`,
      };
    }
  }
}

/** Runs all checks of the given sources; returns the findings (violations only). */
export async function validateSources(
  engine: SqlEngine,
  sources: { id: SourceId; file: string }[],
  onCheck?: () => Promise<void>,
): Promise<{ findings: Finding[]; checks: number }> {
  const findings: Finding[] = [];
  let checks = 0;
  for (const { id, file } of sources) {
    const label = sourceById(id).label;
    for (const check of CONTRACTS[id]) {
      await onCheck?.();
      checks++;
      if (check.kind === 'min_rows') {
        const [{ n }] = await engine.query<{ n: number }>(`select count(*)::integer as n from bronze.${id}`);
        if (n < check.rows) {
          findings.push({
            check: 'min_rows', severity: check.severity, target: id, file, count: 0, sample: [],
            message: `${file} (${label}) has no data rows, only a header`,
          });
        }
        continue;
      }
      const compiled = compileCheck(id, check)!;
      const select = compiled.columns.map((c) => `${col('s', c)}::varchar as ${quoteIdent(c)}`).join(', ');
      const rows = await engine.query(
        `select count(*) over ()::integer as _violations, s._source_line as line, ${select}
         from bronze.${id} s where ${compiled.predicate} order by s._source_line limit ${SAMPLE_ROWS}`,
      );
      if (rows.length === 0) continue;
      const count = Number(rows[0]._violations);
      const sample = rows.map(({ _violations: _, ...rest }) => rest);
      const column = compiled.columns.join(', ');
      const subject = check.kind === 'rule' ? compiled.says : `${column} ${compiled.says}`;
      const example = sample[0];
      const shown = compiled.columns.map((c) => `${c}=${showValue(example[c])}`).join(', ');
      findings.push({
        check: compiled.name, severity: check.severity, target: id, file, column, count, sample,
        message: `${file} (${label}): ${count} row${count === 1 ? '' : 's'} where ${subject}; first at line ${example.line} (${shown})`,
      });
    }
  }
  return { findings, checks };
}

/** A value as text, with invisible characters made visible. */
export function showValue(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\u00a0\u00ad\u200b-\u200f\ufeff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
