/**
 * How much of the history's source files is kept: those of the latest N runs, up to a
 * total size, newest first. Older runs stay in the history with their reports; only
 * their files go (a file another kept run uses stays). The files of the run whose
 * results are shown, and of a run under way, are never removed, whatever the limits.
 */
import type { KvStore } from './kv.ts';
import { assertCurrentVersion } from './migrations.ts';
import { putRecord } from './run-log.ts';
import { KEYS, type ResultsManifest, type RunRecord } from './schema.ts';

export interface RetentionPolicy {
  /** Keep the source files of at most this many runs (at least 1). */
  keepRuns: number;
  /** …and at most this many bytes of them in all. */
  maxBytes: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = { keepRuns: 10, maxBytes: 2 * 1024 ** 3 };

export const PRUNED_NOTE = 'the source files were removed to free room (History → Storage: which runs keep their files)';

/** What a pass of the policy removed. */
export interface Pruned {
  runs: string[];
  bytes: number;
}

/** The policy in force (the default until one is set). */
export async function loadRetention(store: KvStore): Promise<RetentionPolicy> {
  const saved = await store.read((tx) => tx.get<RetentionPolicy>(KEYS.retention)).catch(() => undefined);
  return saved ? validRetention(saved) : DEFAULT_RETENTION;
}

/** A policy within bounds: whole numbers, at least one run and one byte. */
export function validRetention(p: Partial<RetentionPolicy>): RetentionPolicy {
  const whole = (n: unknown, fallback: number) => (typeof n === 'number' && Number.isFinite(n) && n >= 1 ? Math.floor(n) : fallback);
  return { keepRuns: whole(p.keepRuns, DEFAULT_RETENTION.keepRuns), maxBytes: whole(p.maxBytes, DEFAULT_RETENTION.maxBytes) };
}

/** Sets the policy and applies it at once. */
export async function setRetention(store: KvStore, policy: RetentionPolicy): Promise<Pruned> {
  await store.write(async (tx) => {
    await assertCurrentVersion(tx);
    tx.put(KEYS.retention, validRetention(policy));
  });
  return pruneInputs(store);
}

/**
 * Applies the policy in one transaction: runs newest first keep their files while both
 * limits hold; from the first run that does not fit, older runs lose theirs. `protect`
 * names runs whose files stay regardless (a run under way), as the current results' run's
 * always do: those are outside the limits.
 */
export async function pruneInputs(store: KvStore, protect: string[] = []): Promise<Pruned> {
  return store.write(async (tx) => {
    await assertCurrentVersion(tx);
    const policy = validRetention((await tx.get<RetentionPolicy>(KEYS.retention)) ?? DEFAULT_RETENTION);
    const current = (await tx.get<ResultsManifest>(KEYS.current))?.runId;
    const safe = new Set([...protect, ...(current ? [current] : [])]);
    const records = (await tx.values<RunRecord>(KEYS.runs)).filter((r) => r.inputs.some((i) => i.key));
    records.sort((a, b) => b.report.startedAt - a.report.startedAt);

    const kept = new Set<string>();
    let bytes = 0;
    let runs = 0;
    // Spared runs keep their files outside the limits; a file they share costs the others nothing.
    const add = (r: RunRecord, counted: boolean) => {
      for (const i of r.inputs) {
        if (!i.key || kept.has(i.key)) continue;
        kept.add(i.key);
        if (counted) bytes += i.size;
      }
      if (counted) runs++;
    };
    const extra = (r: RunRecord) => r.inputs.reduce((sum, i) => sum + (i.key && !kept.has(i.key) ? i.size : 0), 0);
    for (const r of records) if (safe.has(r.runId)) add(r, false);
    const dropped: RunRecord[] = [];
    let full = false;
    for (const r of records) {
      if (safe.has(r.runId)) continue;
      full ||= runs >= policy.keepRuns || bytes + extra(r) > policy.maxBytes;
      if (full) dropped.push(r);
      else add(r, true);
    }

    const freed: Pruned = { runs: [], bytes: 0 };
    const deleted = new Set<string>();
    for (const r of dropped) {
      const inputs = r.inputs.map((i) => {
        if (!i.key || kept.has(i.key)) return i;
        if (!deleted.has(i.key)) {
          deleted.add(i.key);
          tx.delete(i.key);
          freed.bytes += i.size;
        }
        return { ...i, key: null };
      });
      if (inputs.some((i, n) => i.key !== r.inputs[n].key)) {
        putRecord(tx, { ...r, inputs, inputsNote: PRUNED_NOTE });
        freed.runs.push(r.runId);
      }
    }
    return freed;
  });
}
