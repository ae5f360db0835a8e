/**
 * CodeMirror 6 set-up for DuckDB SQL: the dialect (PostgreSQL's words plus DuckDB's),
 * completion of schemas, tables, columns and functions, colours from the app's CSS
 * variables (so light and dark both read well), and an error mark at a position.
 */
import { autocompletion, completeFromList, type Completion } from '@codemirror/autocomplete';
import { PostgreSQL, SQLDialect, sql, type SQLNamespace } from '@codemirror/lang-sql';
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { StateEffect, StateField, type Extension } from '@codemirror/state';
import { Decoration, EditorView, type DecorationSet } from '@codemirror/view';
import { tags } from '@lezer/highlight';
import type { CatalogTable } from '../../workers/engine.worker.ts';

const DUCKDB_KEYWORDS = 'summarize describe pivot unpivot pivot_wider pivot_longer qualify exclude columns asof positional anti semi '
  + 'macro attach detach install load pragma sample using struct map union_by_name glob ilike similar';
const DUCKDB_TYPES = 'tinyint utinyint usmallint uinteger ubigint hugeint uhugeint varchar blob uuid list struct map union enum '
  + 'timestamptz timestamp_s timestamp_ms timestamp_ns interval bitstring';

/** DuckDB's SQL: its grammar descends from PostgreSQL's, plus its own words. */
export const DuckDB = SQLDialect.define({
  ...PostgreSQL.spec,
  keywords: `${PostgreSQL.spec.keywords} ${DUCKDB_KEYWORDS}`,
  types: `${PostgreSQL.spec.types} ${DUCKDB_TYPES}`,
  doubleDollarQuotedStrings: true,
  caseInsensitiveIdentifiers: true,
});

/** Schemas → tables → columns, as lang-sql's completion wants them. */
export function completionSchema(tables: CatalogTable[]): SQLNamespace {
  const root: Record<string, Record<string, SQLNamespace>> = {};
  const columns = (t: CatalogTable): Completion[] => t.columns.map((c) => ({ label: c.name, type: 'property', detail: c.type.toLowerCase() }));
  for (const t of tables) {
    if (!t.scratch) {
      (root[t.schema] ??= {})[t.name] = columns(t);
    } else if (t.schema === 'main') {
      (root.scratch ??= {})[t.name] = columns(t);
    } else {
      const scratch = (root.scratch ??= {}) as Record<string, Record<string, SQLNamespace>>;
      (scratch[t.schema] ??= {})[t.name] = columns(t);
    }
  }
  return root;
}

/** SQL language support with completion from the catalog and the engine's functions. */
export function sqlSupport(tables: CatalogTable[], functions: string[]): Extension {
  const fns = functions.map((name) => ({ label: name, type: 'function', apply: name }));
  return [
    sql({ dialect: DuckDB, schema: completionSchema(tables), upperCaseKeywords: false }),
    DuckDB.language.data.of({ autocomplete: completeFromList(fns) }),
  ];
}

const highlight = HighlightStyle.define([
  { tag: [tags.keyword, tags.operatorKeyword, tags.modifier], color: 'var(--sql-keyword)', fontWeight: '600' },
  { tag: [tags.string, tags.special(tags.string)], color: 'var(--sql-string)' },
  { tag: [tags.number, tags.bool, tags.null], color: 'var(--sql-number)' },
  { tag: [tags.comment, tags.lineComment, tags.blockComment], color: 'var(--muted)', fontStyle: 'italic' },
  { tag: [tags.typeName, tags.standard(tags.name)], color: 'var(--sql-type)' },
  { tag: tags.special(tags.name), color: 'var(--sql-number)' },
]);

/** Looks and behaviour shared by every SQL editor of the workbench. */
export const editorLook: Extension = [
  syntaxHighlighting(highlight),
  autocompletion({ activateOnTyping: true, icons: false }),
  EditorView.theme({
    '&': { fontSize: '0.9rem', backgroundColor: 'var(--surface)', color: 'var(--text)', border: '1px solid var(--border)', borderRadius: '6px' },
    '&.cm-focused': { outline: '3px solid var(--focus)', outlineOffset: '1px' },
    '.cm-content': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', caretColor: 'var(--text)' },
    '.cm-gutters': { backgroundColor: 'var(--surface-2)', color: 'var(--muted)', border: 'none' },
    '.cm-activeLine, .cm-activeLineGutter': { backgroundColor: 'color-mix(in srgb, var(--accent) 7%, transparent)' },
    '.cm-selectionBackground, &.cm-focused .cm-selectionBackground': { backgroundColor: 'color-mix(in srgb, var(--accent) 28%, transparent) !important' },
    '.cm-cursor': { borderLeftColor: 'var(--text)' },
    '.cm-tooltip': { backgroundColor: 'var(--surface)', color: 'var(--text)', border: '1px solid var(--border)' },
    '.cm-tooltip-autocomplete ul li[aria-selected]': { backgroundColor: 'var(--accent)', color: 'var(--accent-text)' },
    '.cm-sql-error': { textDecoration: 'underline wavy var(--bad)', textUnderlineOffset: '3px', backgroundColor: 'var(--bad-bg)' },
    '.cm-sql-error-line': { backgroundColor: 'color-mix(in srgb, var(--bad) 10%, transparent)' },
    '.cm-scroller': { overflow: 'auto' },
  }),
];

/** Marks the error at `offset` (the word there, or one character), or clears it with null. */
export const setErrorMark = StateEffect.define<number | null>();

export const errorMark = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(marks, tr) {
    for (const effect of tr.effects) {
      if (!effect.is(setErrorMark)) continue;
      if (effect.value === null) return Decoration.none;
      const doc = tr.state.doc;
      const from = Math.max(0, Math.min(effect.value, doc.length));
      const word = tr.state.wordAt(from);
      const to = word && word.from === from ? word.to : Math.min(doc.length, from + 1);
      const line = doc.lineAt(from);
      const ranges = [Decoration.line({ class: 'cm-sql-error-line' }).range(line.from)];
      if (to > from) ranges.push(Decoration.mark({ class: 'cm-sql-error' }).range(from, to));
      return Decoration.set(ranges, true);
    }
    // Any edit makes the mark stale.
    return tr.docChanged ? Decoration.none : marks.map(tr.changes);
  },
  provide: (field) => EditorView.decorations.from(field),
});
