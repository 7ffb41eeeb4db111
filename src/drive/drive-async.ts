import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Resolved } from '../options.js';
import { Interruptible } from '../interruptible.js';
import { Step } from '../walk/walker.js';
import { Driver, type DriveOptions } from './driver.js';
import { Watch } from './watch.js';

/**
 * Longest run (ms) without giving the event loop a turn: a dump of a large plain value must
 * not stall timers and sockets for more than a few ticks.
 */
const MAX_BUSY_MS = 10;

/**
 * Runs a walk for the async functions: awaits async values, gives the event loop a turn every
 * few milliseconds even when the consumer never waits, and stops at once when interrupted (the
 * signal fires, the destination fails, or a member of an opened container fails: drive/watch.ts)
 * whatever it is waiting for.
 */
export class AsyncDriver extends Driver {
  private lastTurn = performance.now();
  private stopped: unknown = null;
  /** The signal stays listened to after the walk is done, until release(). */
  private held = false;
  /** The wait in progress, cut short by interrupt(). */
  private readonly waits = new Interruptible();
  /** The async members of the containers the walk has opened, watched from each yield on. */
  private readonly watch: Watch;
  private onAborted: ((err: unknown) => void) | null = null;
  private readonly onAbort = () => {
    this.interrupt(this.abortError());
    this.onAborted?.(this.stopped);
  };

  constructor(value: unknown, o: Resolved, d: DriveOptions = {}) {
    super(value, o, true, d);
    this.signal?.addEventListener('abort', this.onAbort, { once: true });
    // A replacer may put something else in the place of a member: its failure then waits until
    // the walk reaches it (and is only handled until then).
    this.watch = new Watch(this.walker.stack, o.replacer === null ? (err) => this.interrupt(err) : null);
    // The value itself, from the call on (a promise rejecting before the first chunk is asked for).
    this.watch.update();
  }

  /**
   * Keeps listening to the signal once the walk is done, until release(): the waits for a
   * sink's last writes can be cut short too.
   */
  holdSignal(): void {
    this.held = true;
  }

  /** Stops listening to the signal. */
  release(): void {
    this.signal?.removeEventListener('abort', this.onAbort);
  }

  /** Also tells `listener` when the signal fires: a consumer that is not reading must still stop. */
  whenAborted(listener: (err: unknown) => void): void {
    this.onAborted = listener;
  }

  /**
   * The next chunk of text (as pieces: see Walker.takePieces), or null when the value is
   * written. If it fails (the walk, an awaited value, an interruption), what the walk has not
   * reached is let go of at once: the caller's abort() may come only after a file has opened.
   */
  async next(): Promise<string[] | null> {
    try {
      return await this.walk();
    } catch (err) {
      this.letGo();
      throw err;
    }
  }

  private async walk(): Promise<string[] | null> {
    const w = this.walker;
    for (;;) {
      this.check();
      const s = this.step();
      // Every way on from here may yield to the event loop (after the last step, nothing is left unreached).
      if (s !== Step.Done) this.watch.update();
      if (s === Step.Await) {
        w.settle(await this.interruptible(w.pending!));
        continue;
      }
      const chunk = w.takePieces(s === Step.Done);
      if (performance.now() - this.lastTurn > MAX_BUSY_MS) {
        await this.guard(nextTurn());
        this.lastTurn = performance.now();
      }
      if (chunk.length > 0) {
        this.admit(chunk);
        return chunk;
      }
      if (s === Step.Done) {
        this.dispose();
        return null;
      }
    }
  }

  /**
   * Waits for `p` (the sink, a turn of the event loop), unless the driver is interrupted first
   * (the signal, the destination, a watched member failing).
   */
  guard<T>(p: Promise<T> | T): Promise<T> {
    return this.interruptible(Promise.resolve(p));
  }

  /** Waits for `p`, unless the driver is interrupted first. */
  private interruptible<T>(p: Promise<T>): Promise<T> {
    this.check();
    return this.waits.wait(p);
  }

  /** Stops the walk with `err`: a pending wait rejects with it now, the next step throws it. */
  interrupt(err: unknown): void {
    if (this.stopped === null) this.stopped = err;
    this.waits.interrupt(this.stopped);
  }

  override abort(): void {
    super.abort();
    this.dispose();
    // A next() still suspended on an async value must not walk on when it resumes.
    this.interrupt(new Error('the walk was stopped'));
  }

  private dispose(): void {
    this.finished = true;
    this.watch.stop();
    if (!this.held) this.release();
  }

  private check(): void {
    if (this.signal?.aborted && this.stopped === null) this.stopped = this.abortError();
    if (this.stopped !== null) throw this.stopped;
  }
}
