/** Where the async functions write chunks. */
export interface Sink {
  /** UTF-8 bytes handed to the destination so far. */
  readonly bytes: number;
  /** Writes a chunk, given as pieces; returns a promise when the caller must wait before the next one. */
  write(pieces: string[]): Promise<void> | void;
  /** After the last chunk: flush, and end/close/rename as the destination needs. */
  finish(): Promise<void>;
  /** Registers who to tell when the destination fails while nothing is being written. */
  watch?(onFailure: (err: unknown) => void): void;
  /** After a failure: release and clean up (a temporary file is removed). Never rejects. */
  fail(): Promise<void>;
}
