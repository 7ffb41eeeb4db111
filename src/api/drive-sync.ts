import { JSONDumpError } from '../errors.js';
import type { Resolved } from '../options.js';
import { joinPieces } from '../encode/pieces.js';
import { Step, Walker } from '../walk/walker.js';

/** Runs a walk for the sync functions, chunk by chunk, honouring the signal between chunks. */
export class SyncDriver {
  readonly walker: Walker;
  private readonly signal: AbortSignal | null;
  private finished = false;

  constructor(value: unknown, o: Resolved) {
    this.walker = new Walker(value, o, { async: false });
    this.signal = o.signal;
  }

  /** The next chunk of text (as pieces: see Walker.takePieces), or null when the value is written. */
  next(): string[] | null {
    const w = this.walker;
    for (;;) {
      if (this.signal?.aborted) {
        throw new JSONDumpError('ERR_ABORTED', 'the dump was aborted', w.path(), { cause: this.signal.reason });
      }
      const s = w.step();
      const chunk = w.takePieces();
      if (chunk.length > 0) return chunk;
      if (s === Step.Done) {
        this.finished = true;
        return null;
      }
    }
  }

  /** Ends the walk after a failure: open iterators are closed. */
  abort(): void {
    if (!this.finished) this.walker.abort();
    this.finished = true;
  }
}

/** The driver's chunks as a generator; closing it early ends the walk. */
export function* syncChunks(driver: SyncDriver): Generator<string, void, undefined> {
  try {
    let chunk: string[] | null;
    while ((chunk = driver.next()) !== null) yield joinPieces(chunk);
  } finally {
    driver.abort();
  }
}
