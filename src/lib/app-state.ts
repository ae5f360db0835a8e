/** The app's shared state objects: one engine (one worker), one file set, one router. */
import { engineClient } from './engine-client.svelte.ts';
import { router } from './router.svelte.ts';
import { InputFiles } from './input-files.svelte.ts';
import type { PickedFile } from './files.ts';
import { persistence } from './history/persistence.svelte.ts';
import { rememberPage } from './history/ui-memory.svelte.ts';

export { engineClient, persistence, router };

// The last page and its filters come back on the next visit.
rememberPage(router);

export const inputFiles = new InputFiles(engineClient);

// Once the set is complete and valid (after an add, a removal, ...) the run starts on its own.
inputFiles.onchange = () => {
  if (!engineClient.running) inputFiles.autoRun(startRun);
};

/** Starts a run on the chosen files and shows it. */
export function startRun(): void {
  if (engineClient.running || !inputFiles.ready) return;
  inputFiles.markRun();
  router.go('run');
  // Files changed while it ran? Once it is over, the new complete set runs too.
  void engineClient.run(inputFiles.runFiles()).then(() => {
    void persistence.afterRun();
    inputFiles.autoRun(startRun);
  });
}

/** Adds picked or dropped files; runs on its own once the set is complete. */
export async function addFiles(picked: PickedFile[], skipped: string[] = []): Promise<void> {
  await inputFiles.add(picked, skipped);
}

/** "Try sample data": the generator's six files (made now unless given), as if the user had dropped them. */
export async function loadSample(made?: File[]): Promise<void> {
  const files = made ?? (await engineClient.sampleFiles(1));
  await inputFiles.replace(files.map((file) => ({ file, path: file.name })));
}
