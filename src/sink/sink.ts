/**
 * Where a dump writes its chunks. The driver calls write() per chunk, then flush() and finish(),
 * or fail() after any failure. The waits of write() and flush() can be cut short (an abort, the
 * destination failing): the driver then calls fail(). finish() is never cut short, so a commit
 * (fsync and rename) is not left half done.
 */
export interface Sink {
  /** UTF-8 bytes handed to the destination so far. */
  readonly bytes: number;
  /** Writes a chunk, given as pieces; returns a promise when the caller must wait before the next one. */
  write(pieces: string[]): Promise<void> | void;
  /**
   * Writes UTF-8 bytes made elsewhere (the byte re-encoder's output), which the caller leaves
   * untouched from then on; returns a promise when the caller must wait before the next one.
   */
  writeBytes(bytes: Uint8Array): Promise<void> | void;
  /** After the last chunk: resolves once the destination has taken everything (a stream ended and finished). */
  flush(): Promise<void> | void;
  /** Then: commits (fsync, close, rename) or lets go of the destination. */
  finish(): Promise<void> | void;
  /** Registers who to tell when the destination fails while nothing is being written. */
  watch?(onFailure: (err: unknown) => void): void;
  /**
   * After a failure (`err`): releases and cleans up (a temporary file is removed; an ended-by-us
   * stream is destroyed with `err`). Never rejects.
   */
  fail(err: unknown): Promise<void> | void;
}

/** A sink that does all its work in the calls (dumpSync, measureSync). */
export interface SyncSink extends Sink {
  write(pieces: string[]): void;
  writeBytes(bytes: Uint8Array): void;
  flush(): void;
  finish(): void;
  fail(err: unknown): void;
}
