/** Runs async jobs one at a time, in arrival order; says when none is running or waiting. */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();
  /** Jobs running or waiting. */
  private count = 0;

  run<T>(job: () => Promise<T>): Promise<T> {
    this.count++;
    const result = this.tail.then(job, job);
    this.tail = result.catch(() => undefined).finally(() => this.count--);
    return result;
  }

  /** No job is running or waiting (a job run now would start at once). */
  get idle(): boolean {
    return this.count === 0;
  }

  /** Settles once every job queued so far has ended (others may have queued meanwhile). */
  drained(): Promise<void> {
    return this.tail.then(() => undefined);
  }
}
