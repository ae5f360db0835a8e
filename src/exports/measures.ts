/**
 * The measures as the package describes them, read from `models/measures.sql` (the
 * one place they are defined) so the README never drifts from the SQL. Each also
 * gets its DAX equivalent where the SQL is one of the simple forms DAX has too.
 */

export interface Measure {
  name: string;
  params: string[];
  /** The SQL body of the macro. */
  sql: string;
  /** The comment right above it, if any (the file's own header is not one). */
  description?: string;
}

const MACRO = /create\s+(?:or\s+replace\s+)?macro\s+(\w+)\s*\(([^)]*)\)\s+as\s+([\s\S]*?);/gi;

/** Every macro of a measures file, in file order. */
export function parseMeasures(sql: string): Measure[] {
  const lines = sql.split('\n');
  const headerEnd = lines.findIndex((l) => !l.trim().startsWith('--'));
  const measures: Measure[] = [];
  for (const match of sql.matchAll(MACRO)) {
    const line = sql.slice(0, match.index).split('\n').length - 1;
    const comments: string[] = [];
    for (let i = line - 1; i >= Math.max(headerEnd, 0) && lines[i].trim().startsWith('--'); i--) {
      comments.unshift(lines[i].trim().replace(/^--\s*/, ''));
    }
    measures.push({
      name: match[1],
      params: match[2].split(',').map((p) => p.trim()).filter(Boolean),
      sql: match[3].replace(/\s+/g, ' ').trim(),
      description: comments.length ? comments.join(' ') : undefined,
    });
  }
  return measures;
}

/** `total_sales` -> `Total Sales`. */
export function measureTitle(name: string): string {
  return name.split('_').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ');
}

/**
 * The DAX of a measure over `table`, for sum, count(distinct) and a / nullif(b, 0);
 * undefined for anything else (the README then shows the SQL only).
 */
export function toDax(measure: Measure, table: string): string | undefined {
  const column = (name: string) => (measure.params.includes(name) ? `${table}[${name}]` : undefined);
  const term = (text: string): string | undefined => {
    const t = text.trim();
    // sum(x), or sum(x::decimal(p, s))::double: money summed exactly is still a SUM
    const sum = /^sum\((\w+)(?:::decimal\(\d+, ?\d+\))?\)(?:::double)?$/i.exec(t);
    if (sum) return column(sum[1]) && `SUM(${column(sum[1])})`;
    const distinct = /^count\(distinct (\w+)\)$/i.exec(t);
    if (distinct) return column(distinct[1]) && `DISTINCTCOUNT(${column(distinct[1])})`;
    const ratio = /^\(?(.+?) \/ "?nullif"?\((.+), 0\)\)?$/i.exec(t);
    if (ratio) {
      const [a, b] = [term(ratio[1]), term(ratio[2])];
      return a && b ? `DIVIDE(${a}, ${b})` : undefined;
    }
    return undefined;
  };
  const body = term(measure.sql);
  return body && `${measureTitle(measure.name)} = ${body}`;
}
