/**
 * Waits that can be cut short: interrupt(err) rejects the wait in progress at once, whatever
 * the awaited promise does later (a driver stopped by its signal, its destination failing, or
 * a member of the value it watches failing).
 */
export class Interruptible {
  private rejectWait: ((err: unknown) => void) | null = null;

  /** Waits for `p`, unless interrupted first. */
  wait<T>(p: PromiseLike<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.rejectWait = reject;
      p.then(
        (v) => {
          this.rejectWait = null;
          resolve(v);
        },
        (err: unknown) => {
          this.rejectWait = null;
          reject(err);
        },
      );
    });
  }

  /** Rejects the wait in progress, if any, with `err`. */
  interrupt(err: unknown): void {
    this.rejectWait?.(err);
  }
}
