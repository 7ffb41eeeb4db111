import { joinPieces } from '../encode/pieces.js';
import type { DumpProgress, Resolved } from '../options.js';
import { Step } from '../walk/walker.js';
import { Driver, type DriveOptions } from './driver.js';

/** Runs a walk for the sync functions, chunk by chunk, honouring the signal between chunks. */
export class SyncDriver extends Driver {
  constructor(value: unknown, o: Resolved, d: DriveOptions = {}) {
    super(value, o, false, d);
  }

  /** The next chunk of text (as pieces: see Walker.takePieces), or null when the value is written. */
  next(): string[] | null {
    const w = this.walker;
    for (;;) {
      if (this.signal?.aborted) throw this.abortError();
      const s = this.step();
      const chunk = w.takePieces(s === Step.Done);
      if (chunk.length > 0) {
        this.admit(chunk);
        return chunk;
      }
      if (s === Step.Done) {
        this.finished = true;
        return null;
      }
    }
  }
}

/** The driver's chunks as a generator; closing it early ends the walk. */
export function* syncChunks(
  driver: SyncDriver,
  onProgress: ((progress: DumpProgress) => void) | null,
): Generator<string, void, undefined> {
  try {
    let chunk: string[] | null;
    while ((chunk = driver.next()) !== null) {
      yield joinPieces(chunk);
      onProgress?.(driver.progress());
    }
  } finally {
    driver.abort();
  }
}
