import { JSONDumpError } from '../errors.js';
import type { DumpProgress, Resolved } from '../options.js';
import { Walker, type Step } from '../walk/walker.js';
import { sweepWalk } from './sweep.js';

/** How a run uses its walk, beyond the options. */
export interface DriveOptions {
  /** JSON Lines: each top-level element on its own line. */
  lines?: boolean;
  /** Characters per chunk, when it differs from the option (dumps takes the text at once). */
  chunkSize?: number;
  /** Count the UTF-8 bytes of the chunks (`bytes`): for callers that do not encode them. */
  countBytes?: boolean;
}

/** The UTF-8 length of a chunk's pieces. */
function utf8Length(pieces: string[]): number {
  let n = 0;
  for (const p of pieces) n += Buffer.byteLength(p);
  return n;
}

/**
 * What the sync and async drivers share: the walk, the signal, and `maxBytes`, which is checked
 * on each chunk before it leaves the driver, so nothing past the limit reaches a destination.
 */
export abstract class Driver {
  readonly walker: Walker;
  /** UTF-8 bytes of the chunks produced, when counted (countBytes, or a maxBytes limit). */
  bytes = 0;
  protected readonly signal: AbortSignal | null;
  protected finished = false;
  /** What the walk left was let go of (drive/sweep.ts): once per run. */
  private swept = false;
  private readonly maxBytes: number;
  private readonly counting: boolean;

  constructor(value: unknown, o: Resolved, async: boolean, d: DriveOptions) {
    this.walker = new Walker(value, o, { async, lines: d.lines ?? false, chunkSize: d.chunkSize ?? o.chunkSize });
    this.signal = o.signal;
    this.maxBytes = o.maxBytes;
    this.counting = (d.countBytes ?? false) || o.maxBytes !== Infinity;
  }

  /** The counters so far, as onProgress reports them; `bytes` from the caller when it counts them. */
  progress(bytes = this.bytes): DumpProgress {
    return { bytes, values: this.walker.values, items: this.walker.items };
  }

  /** ERR_ABORTED at the position the walk has reached. */
  abortError(): JSONDumpError {
    return new JSONDumpError('ERR_ABORTED', 'the dump was aborted', this.walker.path(), { cause: this.signal?.reason });
  }

  /**
   * Ends the walk after a failure: what it did not reach is let go of, and the iterators and
   * streams it holds open are closed.
   */
  abort(): void {
    if (!this.finished) {
      this.letGo();
      this.walker.abort();
    }
    this.finished = true;
  }

  /**
   * A step of the walk. If it fails, what the walk did not reach is let go of at once: abort()
   * may come only after a file has opened, and nothing of the value must fail before then with
   * nobody listening.
   */
  protected step(): Step {
    try {
      return this.walker.step();
    } catch (err) {
      this.letGo();
      throw err;
    }
  }

  /** Lets go of what the walk has not reached (drive/sweep.ts), once: the run has failed. */
  protected letGo(): void {
    if (this.swept) return;
    this.swept = true;
    sweepWalk(this.walker);
  }

  /** Counts a chunk's bytes and refuses one that would take the output past maxBytes. */
  protected admit(pieces: string[]): void {
    if (!this.counting) return;
    const bytes = this.bytes + utf8Length(pieces);
    if (bytes > this.maxBytes) {
      throw new JSONDumpError('ERR_LIMIT', `the output is longer than maxBytes (${this.maxBytes} bytes)`, this.walker.path());
    }
    this.bytes = bytes;
  }
}
