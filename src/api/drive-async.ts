import { setImmediate as nextTurn } from 'node:timers/promises';
import { JSONDumpError } from '../errors.js';
import type { Resolved } from '../options.js';
import { Step, Walker } from '../walk/walker.js';

/** Longest run (ms) without giving the event loop a turn; the bound on stalls is 50 ms. */
const MAX_BUSY_MS = 10;

/**
 * Runs a walk for the async functions: awaits async values, honours the signal, and gives the
 * event loop a turn every few milliseconds even when the consumer never has to wait.
 */
export class AsyncDriver {
  readonly walker: Walker;
  private readonly signal: AbortSignal | null;
  private lastTurn = performance.now();
  private finished = false;

  constructor(value: unknown, o: Resolved, lines = false) {
    this.walker = new Walker(value, o, { async: true, lines });
    this.signal = o.signal;
  }

  /** The next chunk of text, or null when the value is written. */
  async next(): Promise<string | null> {
    const w = this.walker;
    for (;;) {
      this.checkAbort();
      const s = w.step();
      if (s === Step.Await) {
        w.settle(await this.guard(w.pending!));
        continue;
      }
      const chunk = w.take();
      if (performance.now() - this.lastTurn > MAX_BUSY_MS) {
        await nextTurn();
        this.lastTurn = performance.now();
      }
      if (chunk !== '') return chunk;
      if (s === Step.Done) {
        this.finished = true;
        return null;
      }
    }
  }

  /** Waits for `p`, or rejects with ERR_ABORTED as soon as the signal fires. */
  guard<T>(p: Promise<T>): Promise<T> {
    const signal = this.signal;
    if (signal === null) return p;
    this.checkAbort();
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(this.abortError());
      signal.addEventListener('abort', onAbort, { once: true });
      p.then(
        (v) => {
          signal.removeEventListener('abort', onAbort);
          resolve(v);
        },
        (e: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(e);
        },
      );
    });
  }

  /** Ends the walk after a failure: open iterators and streams are closed. */
  abort(): void {
    if (!this.finished) this.walker.abort();
    this.finished = true;
  }

  private checkAbort(): void {
    if (this.signal?.aborted) throw this.abortError();
  }

  private abortError(): JSONDumpError {
    return new JSONDumpError('ERR_ABORTED', 'the dump was aborted', this.walker.path(), { cause: this.signal?.reason });
  }
}
