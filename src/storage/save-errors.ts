/**
 * Why a write to the store failed, in words. Browsers report IndexedDB failures as
 * DOMExceptions whose message may be empty (Chromium's QuotaExceededError) or, from an
 * aborted transaction, no error at all: the reason is then named after the error's kind.
 */
import type { KvStore } from './kv.ts';
import { isQuotaError } from './kv.ts';
import { KEYS, type ResultsManifest } from './schema.ts';
import { fullStorageAdvice } from './usage.ts';

/** A transaction the browser aborted without saying why (its `error` was null). */
export class StoreAbortedError extends Error {
  override name = 'AbortError';
  constructor() {
    super('the browser stopped writing to its storage without giving a reason (the tab may be closing, or the data was cleared meanwhile)');
  }
}

const WORDS: Record<string, string> = {
  QuotaExceededError: "this browser's storage for the workbench is full",
  DataCloneError: 'the browser could not copy the data to store it (it may be short of memory)',
  InvalidStateError: 'the database was closed while writing (the data was cleared, or the browser is shutting down)',
  AbortError: 'the browser stopped the write (the tab may be closing, or the data was cleared meanwhile)',
  VersionError: 'the stored data belongs to another version of the workbench; reload the page',
  NotFoundError: 'the stored data was deleted while writing; reload the page',
  UnknownError: 'the browser could not store the data',
};

/** Any thrown value as a sentence fragment: the kind of failure in words, then the browser's own message. */
export function storageErrorText(error: unknown): string {
  if (error === null || error === undefined) return new StoreAbortedError().message;
  if (typeof error !== 'object') return String(error) || 'an unknown error';
  const { name = '', message = '' } = error as { name?: string; message?: string };
  const words = WORDS[name];
  const detail = message.replace(/^Error:\s*/, '').split('\n')[0].trim();
  if (!words) return detail || name || 'an unknown error';
  if (!detail || detail === words) return `${words} (${name})`;
  return `${words} (${name}: ${detail})`;
}

/** "2026-11-30 14:05": a run's time in words that need no locale (the worker has none). */
export function runTime(startedAt: number): string {
  return new Date(startedAt).toISOString().slice(0, 16).replace('T', ' ');
}

/**
 * What the user is told when the results of a good run could not be saved: why, what
 * to do, and what a reload will show (the previous saved results, which are intact).
 */
export async function saveFailureNote(store: KvStore, runStartedAt: number, error: unknown): Promise<string> {
  const why = isQuotaError(error) ? await fullStorageAdvice(store) : `${storageErrorText(error)}.`;
  const previous = await store.read((tx) => tx.get<ResultsManifest>(KEYS.current)).catch(() => undefined);
  const after = previous
    ? `The results saved before, of the run of ${runTime(previous.report.startedAt)} UTC, are kept: a reload shows them.`
    : 'No earlier results are saved, so a reload shows none.';
  return `The results of the run of ${runTime(runStartedAt)} UTC could not be saved: ${why} ${after}`;
}
