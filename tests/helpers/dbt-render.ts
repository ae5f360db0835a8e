/**
 * Fills in a generated dbt project's Jinja the way dbt-duckdb would, for exactly the three
 * constructs the project may use: `{{ ref('m') }}`, `{{ source('s', 't') }}` and
 * `{{ var('v') }}`. Anything else — another expression, a filter, a statement `{% %}` or
 * a comment `{# #}` — throws, so the test fails if the project starts to need real dbt.
 */
export interface JinjaContext {
  ref(model: string): string;
  source(source: string, table: string): string;
  var(name: string): string;
}

const EXPRESSION = /\{\{([\s\S]*?)\}\}/g;
const CALL = /^\s*(ref|source|var)\(\s*(['"])([^'"]*)\2\s*(?:,\s*(['"])([^'"]*)\4\s*)?\)\s*$/;

export function renderJinja(text: string, ctx: JinjaContext, where: string): string {
  const statement = /\{[%#]/.exec(text);
  if (statement) throw new Error(`${where}: Jinja other than ref, source and var at offset ${statement.index}`);
  const rendered = text.replace(EXPRESSION, (whole, body: string) => {
    const call = CALL.exec(body);
    if (!call) throw new Error(`${where}: Jinja other than ref, source and var: ${whole}`);
    const [, fn, , first, , second] = call;
    if (fn === 'ref' && second === undefined) return ctx.ref(first);
    if (fn === 'source' && second !== undefined) return ctx.source(first, second);
    if (fn === 'var' && second === undefined) return ctx.var(first);
    throw new Error(`${where}: ${fn}() with the wrong arguments: ${whole}`);
  });
  if (/\{\{|\}\}/.test(rendered)) throw new Error(`${where}: an unbalanced "{{" or "}}" is left after rendering`);
  return rendered;
}
