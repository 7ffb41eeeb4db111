// COPY (SELECT …) TO STDOUT (FORMAT binary) through node-postgres, for a query without
// parameters: each row's one text value arrives as its UTF-8 bytes, with no escaping to undo
// and no text decoding, and the socket is paused while the reader is behind.
//
// The server sends each row as a message of its own. node-postgres would make an object and a
// Buffer view of each, and hand them over one call at a time: on the 1M-row table of
// `node bench/export/run.js --jobs postgres` that took more of the client's CPU than the rows'
// own bytes. So while the COPY runs, its messages are read here, straight from the socket's
// chunks; from the first message that is not a row on (the end of the COPY, an error, a
// notice), the socket goes back to node-postgres with the bytes not read.

import type { EncodedBatch } from '../rows/batches.js';
import { afterRows } from '../rows/value-errors.js';

/** The part of pg's Connection a COPY needs. */
interface PgConnection {
  query(text: string): void;
  stream: {
    pause(): void;
    resume(): void;
    listeners(event: 'data'): Function[];
    on(event: 'data', listener: (chunk: Buffer) => void): void;
    removeListener(event: 'data', listener: Function): void;
  };
}

// Message types of the protocol read here: CopyOutResponse and CopyData.
const COPY_OUT_RESPONSE = 0x48;
const COPY_DATA = 0x64;

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
  /** Bytes of a message not complete in the socket's last chunk (while the COPY's messages are read here). */
  private partial: Buffer = NOTHING;
  /** Gives the socket back to node-postgres, with the bytes it has to read; null when it has it. */
  private giveBack: ((rest: Buffer) => void) | null = null;

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
    this.takeSocket(connection.stream);
    connection.query(this.text);
  }

  /** Reads the socket here until the COPY's rows end (see the top of the file). */
  private takeSocket(stream: PgConnection['stream']): void {
    const own = stream.listeners('data');
    // Not node-postgres's one parser on the socket: its messages stay with it (handleCopyData).
    if (own.length !== 1) return;
    const parser = own[0] as (chunk: Buffer) => void;
    const read = (chunk: Buffer) => this.readMessages(chunk);
    stream.removeListener('data', parser);
    stream.on('data', read);
    this.giveBack = (rest) => {
      stream.removeListener('data', read);
      stream.on('data', parser);
      this.giveBack = null;
      if (rest.length > 0) parser.call(stream, rest);
    };
  }

  /** The COPY's messages in `chunk` (after what was left of the last one), up to the first that is not a row. */
  private readMessages(chunk: Buffer): void {
    let at = 0;
    if (this.partial.length > 0) {
      // The message begun in the last chunk, completed from this one's first bytes only: the
      // rest of the chunk is read where it is.
      at = this.completePartial(chunk);
      if (at < 0) return;
    }
    while (at + 5 <= chunk.length) {
      const type = chunk[at];
      if (type !== COPY_DATA && type !== COPY_OUT_RESPONSE) {
        this.giveBack?.(chunk.subarray(at));
        return;
      }
      const end = at + 1 + chunk.readInt32BE(at + 1);
      if (end > chunk.length) break;
      if (type === COPY_DATA) this.rowBytes(chunk, at + 5, end);
      at = end;
    }
    this.partial = at >= chunk.length ? NOTHING : Buffer.from(chunk.subarray(at));
  }

  /** Completes `partial` from `chunk` and reads it: the bytes of `chunk` used, or -1 when nothing is left to read here. */
  private completePartial(chunk: Buffer): number {
    const partial = this.partial;
    const head = partial.length >= 5 ? partial : Buffer.concat([partial, chunk.subarray(0, 5 - partial.length)]);
    const type = head[0];
    if (type !== COPY_DATA && type !== COPY_OUT_RESPONSE) {
      this.partial = NOTHING;
      this.giveBack?.(Buffer.concat([partial, chunk]));
      return -1;
    }
    const missing = head.length < 5 ? Infinity : 1 + head.readInt32BE(1) - partial.length;
    if (missing > chunk.length) {
      this.partial = Buffer.concat([partial, chunk]);
      return -1;
    }
    const message = Buffer.concat([partial, chunk.subarray(0, missing)]);
    this.partial = NOTHING;
    if (type === COPY_DATA) this.rowBytes(message, 5, message.length);
    return missing;
  }

  pause(): void {
    this.connection?.stream.pause();
  }

  resume(): void {
    this.connection?.stream.resume();
  }

  handleCopyData(message: { chunk: Buffer }): void {
    this.rowBytes(message.chunk, 0, message.chunk.length);
  }

  /** The bytes of one CopyData message, data[start, end). */
  private rowBytes(data: Buffer, start: number, end: number): void {
    if (this.failure !== null) return;
    try {
      if (this.carry.length === 0) this.parse(data, start, end);
      else this.parse(Buffer.concat([this.carry, data.subarray(start, end)]), 0, undefined);
    } catch (error) {
      this.failure = error as Error;
    }
  }

  /** Reads the header once, then whole tuples of data[from, to); keeps an incomplete tail for the next message. */
  private parse(data: Buffer, from: number, to = data.length): void {
    let at = from;
    if (this.headerLeft > 0) {
      if (to - from < HEADER) {
        this.carry = Buffer.from(data.subarray(from, to));
        return;
      }
      this.extension = data.readInt32BE(from + SIGNATURE + 4);
      at = from + HEADER + this.extension;
      this.headerLeft = 0;
    }
    while (at + 2 <= to) {
      const fields = data.readInt16BE(at);
      if (fields === -1) {
        at += 2;
        break;
      }
      if (at + 6 > to) break;
      const length = data.readInt32BE(at + 2);
      const end = at + 6 + Math.max(length, 0);
      if (end > to) break;
      this.onValue(data, at + 6, end);
      // only the first column is read: the SELECT has exactly one
      at = end;
    }
    this.carry = at >= to ? NOTHING : Buffer.from(data.subarray(at, to));
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

/** What a statement's COPY hands over: its batches, and a builder's last batch when it ends. */
export interface CopyEncoder {
  /** The batch that filled up with this row's bytes, if one did. */
  add(data: Buffer, start: number, end: number): EncodedBatch | null;
  /** The last, partly filled batch. */
  take(): EncodedBatch | null;
}

interface StatementState {
  batches: EncodedBatch[];
  done: boolean;
  copy: CopyOut;
  /** Why the statement failed: raised once what it read before is written. */
  failure: unknown;
}

/**
 * The batches of each `COPY (statement) TO STDOUT (FORMAT binary)`, in statement order:
 * statement s runs on client s mod N, which starts its next one as soon as this one has been
 * read. A statement's batches wait in memory up to `queued`, then its connection is paused
 * (and resumed once half are written, or when the reading stops). A statement that fails fails
 * the whole in its turn, after the statements before it and what it read itself: a ValueError
 * then names its row among all the rows (the encoder counts from the statement's first).
 */
export async function* copiedInOrder(
  clients: readonly { query<T>(submittable: T): T }[],
  statements: readonly string[],
  encoder: () => CopyEncoder,
  failed: (error: unknown) => Error,
  signal: AbortSignal,
  queued: number,
): AsyncGenerator<EncodedBatch> {
  const states = new Map<number, StatementState>();
  // No statement after a failed one starts; those before it run, since they are written first.
  let failedAt = Infinity;
  let wake: (() => void) | null = null;
  const start = (s: number): void => {
    if (s >= statements.length || s > failedAt) return;
    const encode = encoder();
    const state: StatementState = { batches: [], done: false, copy: null as unknown as CopyOut, failure: null };
    state.copy = new CopyOut(`COPY (${statements[s]}) TO STDOUT (FORMAT binary)`, (data, from, to) => {
      const full = encode.add(data, from, to);
      if (full === null) return;
      state.batches.push(full);
      if (state.batches.length >= queued) state.copy.pause();
      wake?.();
    });
    states.set(s, state);
    state.copy.done.then(
      () => {
        const last = encode.take();
        if (last !== null) state.batches.push(last);
        state.done = true;
        start(s + clients.length);
      },
      (error: unknown) => {
        state.failure = error ?? new Error('COPY failed');
        failedAt = Math.min(failedAt, s);
      },
    ).finally(() => wake?.());
    clients[s % clients.length].query(state.copy);
  };
  for (let s = 0; s < clients.length; s++) start(s);
  let written = 0;
  try {
    for (let s = 0; s < statements.length; s++) {
      const before = written;
      for (;;) {
        signal.throwIfAborted();
        // What was read before a failure is written first.
        const state = states.get(s) as StatementState;
        const batch = state.batches.shift();
        if (batch !== undefined) {
          if (state.batches.length < queued / 2) state.copy.resume();
          written += batch.ends.length;
          yield batch;
          continue;
        }
        if (state.failure !== null) throw failed(afterRows(state.failure, before));
        if (state.done) break;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
      }
      states.delete(s);
    }
  } finally {
    // A paused connection would not see the end of the session either.
    for (const state of states.values()) state.copy.resume();
  }
}
