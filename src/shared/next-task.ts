/**
 * Yields to the message loop: messages that arrived so far (a cancel, a request) are
 * handled first. A message, not a timer: a timer set from a timer's callback is clamped
 * to at least 4 ms once nested five deep, and a run yields between every two statements.
 * The message is `null`: tests/e2e/worker-control.ts holds a run at a boundary by it.
 */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}
