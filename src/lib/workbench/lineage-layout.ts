/**
 * A layered layout of the model DAG for the lineage graph: one column per layer
 * (bronze → silver → rejects → gold → kpi → segmentation), nodes ordered within a
 * column by the average position of what they read, so that edges cross less.
 */
import { LAYERS, type Dag } from '../../pipeline/dag.ts';
import { SOURCES } from '../../pipeline/sources.ts';

export interface LineageNode {
  id: string;
  layer: string;
  label: string;
  x: number;
  y: number;
}

export interface LineageEdge {
  from: string;
  to: string;
  /** SVG path data of the curve. */
  d: string;
}

export interface LineageLayout {
  nodes: LineageNode[];
  edges: LineageEdge[];
  width: number;
  height: number;
}

export const NODE_WIDTH = 164;
export const NODE_HEIGHT = 26;
const COLUMN_GAP = 44;
const ROW_GAP = 10;
const PAD = 8;

/** Positions for every model of the DAG and every bronze source. */
export function layoutLineage(dag: Dag): LineageLayout {
  const refs = new Map<string, string[]>(dag.models.map((m) => [m.id, m.refs]));
  for (const s of SOURCES) refs.set(`bronze.${s.id}`, []);
  const columns = LAYERS.map((layer) => [...refs.keys()].filter((id) => id.startsWith(`${layer}.`)).sort());
  const row = new Map<string, number>();
  columns.forEach((ids) => ids.forEach((id, i) => row.set(id, i)));
  // Two sweeps of barycentre ordering are plenty for a graph of this size.
  for (let sweep = 0; sweep < 2; sweep++) {
    for (const ids of columns.slice(1)) {
      const weight = (id: string) => {
        const ups = refs.get(id)!.filter((r) => row.has(r) && !ids.includes(r));
        return ups.length ? ups.reduce((sum, r) => sum + row.get(r)!, 0) / ups.length : row.get(id)!;
      };
      const order = ids.map((id) => ({ id, w: weight(id) })).sort((p, q) => p.w - q.w || p.id.localeCompare(q.id));
      order.forEach(({ id }, i) => row.set(id, i));
      ids.splice(0, ids.length, ...order.map((o) => o.id));
    }
  }
  const tallest = Math.max(...columns.map((c) => c.length));
  const height = PAD * 2 + tallest * (NODE_HEIGHT + ROW_GAP) - ROW_GAP;
  const nodes: LineageNode[] = [];
  const used = columns.filter((c) => c.length > 0);
  used.forEach((ids, col) => {
    const offset = (height - (ids.length * (NODE_HEIGHT + ROW_GAP) - ROW_GAP)) / 2;
    ids.forEach((id, i) => {
      const [layer, label] = id.split('.');
      nodes.push({ id, layer, label, x: PAD + col * (NODE_WIDTH + COLUMN_GAP), y: offset + i * (NODE_HEIGHT + ROW_GAP) });
    });
  });
  const at = new Map(nodes.map((n) => [n.id, n]));
  const edges: LineageEdge[] = [];
  for (const [id, ups] of refs) {
    for (const up of ups) {
      const a = at.get(up);
      const b = at.get(id);
      if (!a || !b) continue;
      const x1 = a.x + NODE_WIDTH;
      const y1 = a.y + NODE_HEIGHT / 2;
      const x2 = b.x;
      const y2 = b.y + NODE_HEIGHT / 2;
      const bend = Math.max(24, (x2 - x1) / 2);
      edges.push({ from: up, to: id, d: `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}` });
    }
  }
  return { nodes, edges, width: PAD * 2 + used.length * (NODE_WIDTH + COLUMN_GAP) - COLUMN_GAP, height };
}

/** Everything a node reads, directly or not. */
export function upstreamIds(dag: Dag, id: string): Set<string> {
  const out = new Set<string>();
  const visit = (m: string) => {
    for (const r of dag.byId.get(m)?.refs ?? []) {
      if (out.has(r)) continue;
      out.add(r);
      visit(r);
    }
  };
  visit(id);
  return out;
}

/** Everything that reads a node, directly or not. */
export function downstreamIds(dag: Dag, id: string): Set<string> {
  const out = new Set<string>();
  for (const m of dag.models) if (m.refs.some((r) => r === id || out.has(r))) out.add(m.id);
  return out;
}
