/**
 * The files the user has chosen for the next run: accumulated over several drops,
 * inspected in the worker (source, rows), checked as a set with `assignSources`.
 * A workbook or archive is listed as its parts: one entry per sheet or file inside.
 */
import { assignSources } from '../pipeline/csv-inspect.ts';
import { assessInputSize, deviceMemoryGiB, resultsInputBytes, type SizeVerdict } from '../pipeline/size-guard.ts';
import { SOURCES, type SourceId } from '../pipeline/sources.ts';
import type { InspectedFile, InspectedUpload, RunInput } from '../workers/engine.worker.ts';
import type { EngineClient } from './engine-client.svelte.ts';
import type { PickedFile } from './files.ts';
import { errorText } from '../shared/error-text.ts';

export interface SourceEntry {
  key: number;
  file: File;
  /** The name the user knows it by (with its folder for folder drops, and its sheet or entry: `book.xlsx › Sheet1`). */
  path: string;
  /** The chosen file's own path. */
  filePath: string;
  /** The sheet or archive entry, for a part of a workbook or archive. */
  part?: string;
  inspection?: InspectedFile;
  /** The worker's read of the file for this inspection: the run reuses it. */
  readId?: string;
  /** Set when the file could not be read at all. */
  error?: string;
}

export type EntryState = 'checking' | 'ok' | 'duplicate' | 'invalid';

let nextKey = 1;

export class InputFiles {
  #client: EngineClient;
  entries = $state.raw<SourceEntry[]>([]);
  /** Notes about the last addition (skipped files, files already listed). */
  notes = $state.raw<string[]>([]);
  inspecting = $derived(this.entries.some((e) => !e.inspection && !e.error));
  assignment = $derived(assignSources(this.entries.flatMap((e) => (e.inspection ? [named(e, e.inspection)] : []))));
  /** Whether the chosen files fit the in-browser engine: said before anything runs. */
  size: SizeVerdict = $derived.by(() => assessInputSize(
    this.#chosen().reduce((sum, e) => sum + (e.inspection?.size ?? e.file.size), 0),
    deviceMemoryGiB(),
    // The results shown stay in the engine while the run builds the next ones.
    resultsInputBytes(this.#client.results?.report),
  ));
  /** Everything that stops a run, in words. */
  problems = $derived([
    ...this.entries.filter((e) => e.error).map((e) => `${e.path} could not be read: ${e.error}`),
    ...(this.entries.length ? this.assignment.problems : []),
    ...(this.size.verdict === 'too-large' ? [`Too large for this device: ${this.size.message}`] : []),
  ]);
  /** True when there is exactly one valid file per source. */
  ready = $derived(this.entries.length > 0 && !this.inspecting && this.problems.length === 0);

  /** Called after every change of the list (added, inspected, removed). */
  onchange?: () => void;

  #lastRun = '';

  constructor(client: EngineClient) {
    this.#client = client;
  }

  /** Adds files (keeping those already listed) and inspects the new ones. */
  async add(picked: PickedFile[], skipped: string[] = []): Promise<void> {
    const notes = skipped.map((p) => `${p} was skipped: only .csv, .tsv, .txt, .xlsx, .parquet and .zip files are read`);
    const fresh: SourceEntry[] = [];
    for (const p of picked) {
      if ([...this.entries, ...fresh].some((e) => sameFile(e, p))) notes.push(`${p.path} is already in the list`);
      else fresh.push({ key: nextKey++, file: p.file, path: p.path, filePath: p.path });
    }
    this.notes = notes;
    if (fresh.length === 0) {
      this.onchange?.();
      return;
    }
    this.entries = [...this.entries, ...fresh];
    let results: (InspectedUpload | string)[];
    try {
      results = await this.#client.inspect(fresh.map((e) => e.file));
    } catch (e) {
      results = fresh.map(() => (errorText(e)));
    }
    const partsOf = fresh.map((e, at): SourceEntry[] => {
      const r = results[at];
      if (typeof r === 'string') return [{ ...e, error: r }];
      this.notes = [...this.notes, ...r.notes.map((n) => n.replaceAll(workerName(e.file), e.filePath))];
      return r.parts.map((part, i) => withPart({ ...e, readId: r.readId }, part, i === 0 ? e.key : nextKey++));
    });
    // Entries removed while inspecting stay removed.
    this.entries = this.entries.flatMap((e) => {
      const at = fresh.findIndex((f) => f.key === e.key);
      return at < 0 ? [e] : partsOf[at];
    });
    this.onchange?.();
  }

  /** Replaces the whole list (used by "Try sample data"). */
  async replace(picked: PickedFile[]): Promise<void> {
    this.entries = [];
    await this.add(picked);
  }

  remove(key: number): void {
    this.entries = this.entries.filter((e) => e.key !== key);
    this.notes = [];
    this.onchange?.();
  }

  /** Keeps this file for its source and removes the other files of the same source. */
  keep(key: number): void {
    const source = this.entries.find((e) => e.key === key)?.inspection?.source;
    this.entries = this.entries.filter((e) => e.key === key || e.inspection?.source !== source);
    this.onchange?.();
  }

  clear(): void {
    this.entries = [];
    this.notes = [];
  }

  state(entry: SourceEntry): EntryState {
    if (entry.error || entry.inspection?.problem) return 'invalid';
    if (!entry.inspection) return 'checking';
    const source = entry.inspection.source;
    return this.entries.filter((e) => e.inspection?.source === source).length > 1 ? 'duplicate' : 'ok';
  }

  /** The chosen file of a source, if exactly one. */
  fileFor(source: SourceId): SourceEntry | undefined {
    const found = this.entries.filter((e) => e.inspection?.source === source);
    return found.length === 1 ? found[0] : undefined;
  }

  /** One file (or sheet, or archive entry) per source, in the sources' order. */
  runFiles(): RunInput[] {
    return this.#chosen().map((e) => ({ file: e.file, part: e.part, readId: e.readId }));
  }

  #chosen(): SourceEntry[] {
    return SOURCES.map((s) => this.fileFor(s.id)).filter((e): e is SourceEntry => e !== undefined);
  }

  /** Starts a run when the set is complete and has changed since the last run. */
  autoRun(start: () => void): void {
    if (!this.ready || this.#signature() === this.#lastRun) return;
    this.markRun();
    start();
  }

  markRun(): void {
    this.#lastRun = this.#signature();
  }

  #signature(): string {
    return this.entries.map((e) => e.key).join(',');
  }
}

function named(e: SourceEntry, i: InspectedFile): InspectedFile {
  return { ...i, name: e.path, problem: i.problem?.replace(i.name, e.path) };
}

function sameFile(e: SourceEntry, p: PickedFile): boolean {
  return e.filePath === p.path && e.file.size === p.file.size && e.file.lastModified === p.file.lastModified;
}

/** The name the worker gives a file in its messages. */
function workerName(file: File): string {
  return file.webkitRelativePath || file.name;
}

/** The entry of one part of a chosen file, named as the user knows the file. */
function withPart(e: SourceEntry, inspection: InspectedFile, key: number): SourceEntry {
  const path = inspection.part ? `${e.filePath} › ${inspection.part}` : e.filePath;
  return { ...e, key, path, part: inspection.part, inspection };
}
