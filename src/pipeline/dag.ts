/**
 * The DAG, derived from the SQL: a `schema.table` reference is a dependency.
 * Checks that every reference exists, that layers read only what they may,
 * and that there are no cycles; then orders the models.
 */
import { sourceSpans } from './model-slices.ts';
import { SOURCES } from './sources.ts';

export const LAYERS = ['bronze', 'silver', 'rejects', 'gold', 'kpi', 'segmentation'] as const;
export type Layer = (typeof LAYERS)[number];
export type ModelLayer = Exclude<Layer, 'bronze'>;

/** What each layer may read (its own layer included, acyclic). */
export const ALLOWED_READS: Record<ModelLayer, readonly Layer[]> = {
  silver: ['bronze', 'silver'],
  /** what silver dropped or repaired, per rule (the quarantine) */
  rejects: ['bronze', 'silver', 'rejects'],
  gold: ['silver', 'gold'],
  kpi: ['gold', 'kpi'],
  segmentation: ['gold', 'segmentation'],
};

/** A SQL file as shipped or as edited: `models/<layer>/<table>.sql`. */
export interface ModelFile {
  path: string;
  sql: string;
}

export interface Model {
  /** `layer.table` */
  id: string;
  layer: ModelLayer;
  name: string;
  path: string;
  sql: string;
  grain?: string;
  /** Referenced `layer.table` ids, sorted, without duplicates. */
  refs: string[];
  /**
   * `-- slices: <layer.table>`: built a range of that table's `_source_line` at a time
   * (model-slices.ts); the model promises its rows are row-local to it and in its line order.
   */
  slicesOf?: string;
}

export interface DataTest {
  id: string;
  name: string;
  path: string;
  sql: string;
  severity: 'error' | 'warn';
  description: string;
  refs: string[];
  /** The highest layer it reads: it runs right after that layer is built. */
  layer: Layer;
}

export class DagError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`the model graph is invalid: ${problems.join('; ')}`);
    this.name = 'DagError';
    this.problems = problems;
  }
}

const REF = /\b(bronze|silver|gold|kpi|segmentation)\s*\.\s*([a-z_][a-z0-9_]*)\b/gi;

/** Removes comments and string literals so that only real references are found. */
export function stripCommentsAndStrings(sql: string): string {
  return sql
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/'(?:[^']|'')*'/g, "''");
}

export function findRefs(sql: string): string[] {
  const refs = new Set<string>();
  for (const m of stripCommentsAndStrings(sql).matchAll(REF)) refs.add(`${m[1].toLowerCase()}.${m[2].toLowerCase()}`);
  return [...refs].sort();
}

function headerValue(sql: string, key: string): string | undefined {
  const m = sql.match(new RegExp(`^\\s*--\\s*${key}:\\s*(.+)$`, 'im'));
  return m?.[1].trim();
}

/** Parses `models/<layer>/<table>.sql`; returns undefined for files that are not models. */
export function parseModel(file: ModelFile): Model | undefined {
  const m = file.path.match(/(?:^|\/)models\/(silver|rejects|gold|kpi|segmentation)\/([a-z_][a-z0-9_]*)\.sql$/);
  if (!m) return undefined;
  const layer = m[1] as ModelLayer;
  const slicesOf = headerValue(file.sql, 'slices')?.toLowerCase();
  return {
    id: `${layer}.${m[2]}`, layer, name: m[2], path: file.path, sql: file.sql, grain: headerValue(file.sql, 'grain'), refs: findRefs(file.sql),
    ...(slicesOf ? { slicesOf } : {}),
  };
}

export function parseDataTest(file: ModelFile): DataTest | undefined {
  const m = file.path.match(/(?:^|\/)models\/tests\/([a-z_][a-z0-9_]*)\.sql$/);
  if (!m) return undefined;
  const refs = findRefs(file.sql);
  const severity = headerValue(file.sql, 'severity') === 'warn' ? 'warn' : 'error';
  const layer = LAYERS[Math.max(0, ...refs.map((r) => LAYERS.indexOf(r.split('.')[0] as Layer)))];
  return {
    id: `tests.${m[1]}`, name: m[1], path: file.path, sql: file.sql, severity,
    description: headerValue(file.sql, 'description') ?? m[1].replaceAll('_', ' '), refs, layer,
  };
}

export interface Dag {
  /** Models in an order that respects every dependency, layer by layer. */
  models: Model[];
  tests: DataTest[];
  byId: Map<string, Model>;
  /** Models that read each model. */
  downstream: Map<string, string[]>;
}

/** Builds and checks the DAG. Throws DagError listing every problem found. */
export function buildDag(files: ModelFile[]): Dag {
  const models = files.map(parseModel).filter((m): m is Model => m !== undefined);
  const tests = files.map(parseDataTest).filter((t): t is DataTest => t !== undefined);
  const byId = new Map(models.map((m) => [m.id, m]));
  const bronze = new Set(SOURCES.map((s) => `bronze.${s.id}`));
  const problems: string[] = [];
  const exists = (ref: string) => byId.has(ref) || bronze.has(ref);

  for (const m of models) {
    if (m.slicesOf && (!m.refs.includes(m.slicesOf) || !sourceSpans(m.sql, m.slicesOf))) {
      problems.push(`${m.id} is built in slices of ${m.slicesOf} but does not read it as a plain table (from ${m.slicesOf}, no catalog before it, no column after it)`);
    }
    for (const ref of m.refs) {
      const layer = ref.split('.')[0] as Layer;
      if (!exists(ref)) problems.push(`${m.id} reads ${ref}, which does not exist`);
      if (!ALLOWED_READS[m.layer].includes(layer)) {
        problems.push(`${m.id} reads ${ref}: the ${m.layer} layer may read only ${ALLOWED_READS[m.layer].join(' and ')}`);
      }
    }
  }
  for (const t of tests) for (const ref of t.refs) if (!exists(ref)) problems.push(`${t.id} reads ${ref}, which does not exist`);

  const ordered = topologicalOrder(models, byId, problems);
  if (problems.length) throw new DagError(problems);

  const downstream = new Map<string, string[]>(models.map((m) => [m.id, []]));
  for (const m of models) for (const ref of m.refs) downstream.get(ref)?.push(m.id);
  return { models: ordered, tests, byId, downstream };
}

/** Kahn's algorithm, stable: by layer, then by name. Reports cycles. */
function topologicalOrder(models: Model[], byId: Map<string, Model>, problems: string[]): Model[] {
  const rank = (m: Model) => `${LAYERS.indexOf(m.layer)}:${m.name}`;
  const pending = new Map(models.map((m) => [m.id, m.refs.filter((r) => byId.has(r) && r !== m.id).length]));
  for (const m of models) if (m.refs.includes(m.id)) problems.push(`${m.id} reads itself`);
  const ready = models.filter((m) => pending.get(m.id) === 0);
  const ordered: Model[] = [];
  while (ready.length) {
    ready.sort((a, b) => rank(a).localeCompare(rank(b)));
    const next = ready.shift()!;
    ordered.push(next);
    for (const m of models) {
      if (!m.refs.includes(next.id) || m.id === next.id) continue;
      const left = pending.get(m.id)! - 1;
      pending.set(m.id, left);
      if (left === 0) ready.push(m);
    }
  }
  if (ordered.length < models.length) {
    const stuck = models.filter((m) => !ordered.includes(m)).map((m) => m.id);
    problems.push(`cycle among ${stuck.join(', ')}`);
  }
  return ordered;
}

/** A model and everything downstream of it, in run order. */
export function downstreamOf(dag: Dag, id: string): Model[] {
  const keep = new Set([id]);
  for (const m of dag.models) if (m.refs.some((r) => keep.has(r))) keep.add(m.id);
  return dag.models.filter((m) => keep.has(m.id));
}
