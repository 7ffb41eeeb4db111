// COPY (SELECT …) TO STDOUT (FORMAT binary) through node-postgres, for a query without
// parameters: each row's one text value arrives as its UTF-8 bytes, with no escaping to undo
// and no text decoding, and the socket is paused while the reader is behind.

/** The part of pg's Connection a COPY needs. */
interface PgConnection {
  query(text: string): void;
  stream: { pause(): void; resume(): void };
}

// "PGCOPY\n\xff\r\n\0", then 32-bit flags and the length of a header extension.
const SIGNATURE = 11;
const HEADER = SIGNATURE + 8;

/**
 * No bytes carried over: one shared buffer. A message usually ends with a row, and an
 * allocation there took 177 ms of the client's 2.2 s of CPU on the 1M-row table of
 * `node bench/export/run.js --jobs postgres` (seen with `node --cpu-prof`).
 */
const NOTHING = Buffer.alloc(0);

/**
 * A pg Submittable: `client.query(new CopyOut(sql, onValue))`. `onValue` gets where the bytes of
 * each row's one column are (valid only during the call: no view is made per row). `done`
 * settles when the server is done.
 */
export class CopyOut {
  readonly done: Promise<void>;
  private resolve!: () => void;
  private reject!: (error: Error) => void;
  private connection: PgConnection | null = null;
  private carry: Buffer = NOTHING;
  private headerLeft = HEADER;
  private extension = -1;
  private failure: Error | null = null;

  constructor(
    private readonly text: string,
    private readonly onValue: (data: Buffer, start: number, end: number) => void,
  ) {
    this.done = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.done.catch(() => {});
  }

  submit(connection: PgConnection): void {
    this.connection = connection;
    connection.query(this.text);
  }

  pause(): void {
    this.connection?.stream.pause();
  }

  resume(): void {
    this.connection?.stream.resume();
  }

  handleCopyData(message: { chunk: Buffer }): void {
    if (this.failure !== null) return;
    try {
      this.parse(this.carry.length === 0 ? message.chunk : Buffer.concat([this.carry, message.chunk]));
    } catch (error) {
      this.failure = error as Error;
    }
  }

  /** Reads the header once, then whole tuples; keeps an incomplete tail for the next message. */
  private parse(data: Buffer): void {
    let at = 0;
    if (this.headerLeft > 0) {
      if (data.length < HEADER) {
        this.carry = Buffer.from(data);
        return;
      }
      this.extension = data.readInt32BE(SIGNATURE + 4);
      at = HEADER + this.extension;
      this.headerLeft = 0;
    }
    while (at + 2 <= data.length) {
      const fields = data.readInt16BE(at);
      if (fields === -1) {
        at += 2;
        break;
      }
      if (at + 6 > data.length) break;
      const length = data.readInt32BE(at + 2);
      const end = at + 6 + Math.max(length, 0);
      if (end > data.length) break;
      this.onValue(data, at + 6, end);
      // only the first column is read: the SELECT has exactly one
      at = end;
    }
    this.carry = at >= data.length ? NOTHING : Buffer.from(data.subarray(at));
  }

  /** The end of the query when it fails: pg hands the ReadyForQuery that follows to no one. */
  handleError(error: Error): void {
    this.reject(this.failure ?? error);
  }

  handleReadyForQuery(): void {
    if (this.failure !== null) this.reject(this.failure);
    else this.resolve();
  }

  handleCommandComplete(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyInResponse(): void {}
}
