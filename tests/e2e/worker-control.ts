/**
 * Holding the engine's worker at a known point, from a test, so that nothing depends on
 * how far the work got in a given time:
 * - `holdCalls` stops chosen API calls at the worker's door (a download, a console query):
 *   the page has started the job, the worker has not; `releaseCalls` lets them in.
 * - `watchCalls` / `callsHandled` say when the worker has handled a call (e.g. a cancel).
 * - `holdRunAt` pauses a pipeline run at the first statement boundary after a task starts
 *   (the runner yields to the message loop there by posting `null` to a fresh channel,
 *   see src/shared/next-task.ts, so that a cancel can arrive): the worker still answers
 *   messages; `releaseRun` resumes it.
 * - `killWorker` ends the worker as a crash would.
 * Scripts are given as source text: the test's transpiler would wrap named functions in a
 * helper the worker does not have.
 */
import assert from 'node:assert/strict';
import type { Page, Worker } from 'playwright-core';

/** The engine's worker of this page (the current one, after a restart). */
export async function engineWorker(page: Page): Promise<Worker> {
  const found = () => page.workers().filter((w) => w.url().includes('engine.worker')).at(-1);
  if (!found()) await page.waitForEvent('worker', { predicate: (w) => w.url().includes('engine.worker'), timeout: 30_000 });
  const worker = found();
  assert.ok(worker, 'the engine worker is running');
  return worker;
}

/**
 * Holds every call of these API methods (`exports.table`, `console.run`, ...) at the page's
 * side of the worker's door: the page has started the job, the worker has not seen it.
 * (In the worker it would be too late: listeners of its global scope run in the order they
 * were added, capturing or not, so comlink's own listener always comes first.)
 */
export async function holdCalls(page: Page, methods: string[]): Promise<void> {
  await page.evaluate(`(() => {
    const gate = window.heldCalls = { methods: ${JSON.stringify(methods)}, held: [], post: Worker.prototype.postMessage };
    Worker.prototype.postMessage = function (message, ...rest) {
      const path = message && message.type === 'APPLY' && Array.isArray(message.path) && message.path.join('.');
      if (!gate.methods.includes(path)) return gate.post.call(this, message, ...rest);
      gate.held.push([this, message, rest]);
    };
  })()`);
}

/** Waits until `count` calls are held. */
export async function callsHeld(page: Page, count: number): Promise<void> {
  await page.waitForFunction((n) => (window as unknown as { heldCalls: { held: unknown[] } }).heldCalls.held.length >= n, count, { timeout: 30_000 });
}

/** Sends the held calls on, in their order, and holds no more. */
export async function releaseCalls(page: Page): Promise<void> {
  await page.evaluate(`(() => {
    const gate = window.heldCalls;
    Worker.prototype.postMessage = gate.post;
    for (const [worker, message, rest] of gate.held.splice(0)) gate.post.call(worker, message, ...rest);
  })()`);
}

/**
 * Counts the calls of these methods the worker has handled. Its listener comes after
 * comlink's, which starts the call synchronously: once counted, the call has run (a cancel
 * has marked its job) or is under way.
 */
export async function watchCalls(page: Page, methods: string[]): Promise<void> {
  await (await engineWorker(page)).evaluate(`(() => {
    const seen = self.seenCalls = { methods: ${JSON.stringify(methods)}, count: {}, waiting: [] };
    self.addEventListener('message', (event) => {
      const path = event.data && event.data.type === 'APPLY' && Array.isArray(event.data.path) && event.data.path.join('.');
      if (!seen.methods.includes(path)) return;
      seen.count[path] = (seen.count[path] || 0) + 1;
      for (const check of seen.waiting.splice(0)) check();
    });
  })()`);
}

/** Waits until the worker has handled `count` calls of `method` (see `watchCalls`). */
export async function callsHandled(page: Page, method: string, count: number): Promise<void> {
  await (await engineWorker(page)).evaluate(`new Promise((resolve) => {
    const seen = self.seenCalls;
    const check = () => ((seen.count[${JSON.stringify(method)}] || 0) >= ${count} ? resolve() : seen.waiting.push(check));
    check();
  })`);
}

/**
 * Pauses the next pipeline run at its first statement boundary once `task` is running: the
 * page has seen the task start, and nothing of its work has been done. Call before the run starts.
 */
export async function holdRunAt(page: Page, task: string): Promise<void> {
  await (await engineWorker(page)).evaluate(`(() => {
    const hold = self.runHold = { task: ${JSON.stringify(task)}, armed: false, queued: [], waiting: [] };
    const post = MessagePort.prototype.postMessage;
    MessagePort.prototype.postMessage = function (message, ...rest) {
      // The runner's yield posts null (comlink never does): once armed, keep it until released.
      if (hold.armed && message === null) {
        hold.queued.push(() => post.call(this, message, ...rest));
        for (const resolve of hold.waiting.splice(0)) resolve();
        return;
      }
      // Progress reaches the page through a comlink port: arm once a snapshot shows the task running.
      const report = message && message.argumentList && message.argumentList[0] && message.argumentList[0].value;
      if (hold.task && report && Array.isArray(report.tasks) && report.tasks.some((t) => t.id === hold.task && t.state === 'running')) {
        hold.armed = true;
        hold.task = undefined;
      }
      return post.call(this, message, ...rest);
    };
  })()`);
}

/** Waits until the run is paused at the boundary `holdRunAt` chose. */
export async function runHeld(page: Page): Promise<void> {
  await (await engineWorker(page)).evaluate(`new Promise((resolve) => {
    const hold = self.runHold;
    const check = () => (hold.queued.length > 0 ? resolve() : hold.waiting.push(check));
    check();
  })`);
}

/** Resumes the paused run and stops holding. */
export async function releaseRun(page: Page): Promise<void> {
  await (await engineWorker(page)).evaluate(`(() => {
    const hold = self.runHold;
    hold.armed = false;
    for (const resume of hold.queued.splice(0)) resume();
  })()`);
}

/** Ends the engine's worker as a crash would (it closes itself: the page is not told). */
export async function killWorker(page: Page): Promise<void> {
  await (await engineWorker(page)).evaluate('self.close()').catch(() => undefined);
}
