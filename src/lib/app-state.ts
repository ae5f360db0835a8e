/** The app's shared state objects: one engine (one worker), one file set, one router. */
import { engine } from './engine.svelte.ts';
import { router } from './router.svelte.ts';
import { SourceFiles } from './sources.svelte.ts';
import type { PickedFile } from './files.ts';
import { persistence } from './history/persistence.svelte.ts';
import { rememberPage } from './history/ui-memory.svelte.ts';

export { engine, persistence, router };

// The last page and its filters come back on the next visit.
rememberPage(router);

export const sources = new SourceFiles(engine);

// Once the set is complete and valid (after an add, a removal, ...) the run starts on its own.
sources.onchange = () => {
  if (!engine.running) sources.autoRun(startRun);
};

/** Starts a run on the chosen files and shows it. */
export function startRun(): void {
  if (engine.running || !sources.ready) return;
  sources.markRun();
  router.go('run');
  // Files changed while it ran? Once it is over, the new complete set runs too.
  void engine.run(sources.runFiles()).then(() => {
    void persistence.afterRun();
    sources.autoRun(startRun);
  });
}

/** Adds picked or dropped files; runs on its own once the set is complete. */
export async function addFiles(picked: PickedFile[], skipped: string[] = []): Promise<void> {
  await sources.add(picked, skipped);
}

/** "Try sample data": the generator's six files, as if the user had dropped them. */
export async function loadSample(): Promise<void> {
  const files = await engine.sampleFiles(1);
  await sources.replace(files.map((file) => ({ file, path: file.name })));
}
