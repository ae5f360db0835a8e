/**
 * `?sample` (the README's first command) opens the app on the built-in sample data. A
 * link must never silently replace what the user has: once the saved results are back,
 * a browser without results runs the sample at once, results that came from the sample
 * itself are simply shown, and any other results stay until the user says "replace"
 * (docs/storage.md). The parameter leaves the address once handled: a reload asks nothing.
 */
import { engineClient, loadSample, persistence } from './app-state.ts';
import { errorText } from '../shared/error-text.ts';
import { oneShotSha256 } from '../shared/file-digest.ts';

/** What the sample would replace, while the app asks. */
export interface SampleQuestion {
  /** When the run whose results are shown started; undefined when saved results could not be loaded. */
  startedAt?: number;
}

class SampleLink {
  question = $state.raw<SampleQuestion | null>(null);
  /** Why the sample could not be made, in words. */
  error = $state<string>();

  /** Handles `?sample` once the engine has started and the saved results are restored. */
  async open(): Promise<void> {
    await engineClient.whenReady();
    if (engineClient.status === 'error') return forgetParameter();
    try {
      const files = await engineClient.sampleFiles(1);
      const results = engineClient.results;
      if (results && (await sameFiles(results.report.inputs, files))) return;
      if (results || persistence.restore?.state === 'failed') {
        this.question = { startedAt: results?.report.startedAt };
        return;
      }
      await loadSample(files);
    } catch (e) {
      this.error = `The sample data could not be made: ${errorText(e)}`;
    } finally {
      // Last: its absence says the link was handled (asked, or running, or nothing to do).
      forgetParameter();
    }
  }

  keep(): void {
    this.question = null;
  }

  replace(): void {
    this.question = null;
    loadSample().catch((e: unknown) => (this.error = `The sample data could not be made: ${errorText(e)}`));
  }
}

/** True when the results were made from exactly these files (same SHA-256 each). */
async function sameFiles(inputs: { sha256?: string }[], files: File[]): Promise<boolean> {
  if (!crypto.subtle || inputs.length !== files.length) return false;
  const digests = await Promise.all(files.map((f) => oneShotSha256(f)));
  const shown = new Set(inputs.map((i) => i.sha256));
  return digests.every((d) => shown.has(d));
}

/** Drops `sample` from the address (keeping the page and the other parameters). */
function forgetParameter(): void {
  const url = new URL(location.href);
  url.searchParams.delete('sample');
  history.replaceState(history.state, '', url);
}

export const sampleLink = new SampleLink();
