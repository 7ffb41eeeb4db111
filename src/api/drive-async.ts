import { setImmediate as nextTurn } from 'node:timers/promises';
import { JSONDumpError } from '../errors.js';
import type { Resolved } from '../options.js';
import { Step, Walker } from '../walk/walker.js';

/** Longest run (ms) without giving the event loop a turn; the bound on stalls is 50 ms. */
const MAX_BUSY_MS = 10;

/**
 * Runs a walk for the async functions: awaits async values, gives the event loop a turn every
 * few milliseconds even when the consumer never waits, and stops at once when interrupted (the
 * signal fires, or the destination fails) whatever it is waiting for.
 */
export class AsyncDriver {
  readonly walker: Walker;
  private readonly signal: AbortSignal | null;
  private lastTurn = performance.now();
  private finished = false;
  private stopped: unknown = null;
  private rejectWait: ((err: unknown) => void) | null = null;
  private readonly onAbort = () => this.interrupt(this.abortError());

  constructor(value: unknown, o: Resolved, lines = false) {
    this.walker = new Walker(value, o, { async: true, lines });
    this.signal = o.signal;
    this.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /** The next chunk of text (as pieces: see Walker.takePieces), or null when the value is written. */
  async next(): Promise<string[] | null> {
    const w = this.walker;
    for (;;) {
      this.check();
      const s = w.step();
      if (s === Step.Await) {
        w.settle(await this.guard(w.pending!));
        continue;
      }
      const chunk = w.takePieces();
      if (performance.now() - this.lastTurn > MAX_BUSY_MS) {
        await nextTurn();
        this.lastTurn = performance.now();
      }
      if (chunk.length > 0) return chunk;
      if (s === Step.Done) {
        this.dispose();
        return null;
      }
    }
  }

  /** Waits for `p`, unless the driver is interrupted first. */
  guard<T>(p: Promise<T>): Promise<T> {
    this.check();
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

  /** Stops the walk with `err`: a pending wait rejects with it now, the next step throws it. */
  interrupt(err: unknown): void {
    if (this.stopped === null) this.stopped = err;
    this.rejectWait?.(this.stopped);
  }

  /** Ends the walk after a failure: open iterators and streams are closed. */
  abort(): void {
    if (!this.finished) this.walker.abort();
    this.dispose();
    // A next() still suspended on an async value must not walk on when it resumes.
    this.interrupt(new Error('the walk was stopped'));
  }

  private dispose(): void {
    this.finished = true;
    this.signal?.removeEventListener('abort', this.onAbort);
  }

  private check(): void {
    if (this.signal?.aborted && this.stopped === null) this.stopped = this.abortError();
    if (this.stopped !== null) throw this.stopped;
  }

  private abortError(): JSONDumpError {
    return new JSONDumpError('ERR_ABORTED', 'the dump was aborted', this.walker.path(), { cause: this.signal?.reason });
  }
}
