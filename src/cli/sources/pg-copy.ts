// COPY (SELECT …) TO STDOUT (FORMAT binary) through node-postgres, for a query without
// parameters: each row's fields arrive in their binary form (see rows/pg-rows.ts), with no
// escaping to undo and no text decoding, and the socket is paused while the reader is behind.
//
// The server sends each row as a message of its own. node-postgres would make an object and a
// Buffer view of each, and hand them over one call at a time: on the 1M-row table of
// `node bench/export/run.js --jobs postgres` that took more of the client's CPU than the rows'
// own bytes. So while the COPY runs, its messages are read here, straight from the socket's
// chunks; from the first message that is not a row on (the end of the COPY, an error, a
// notice), the socket goes back to node-postgres with the bytes not read. Nothing waits for a
// whole message: a field's bytes are handed on as they arrive, and a large json value (a row of
// 100 MB) streams through in pieces.

import type { EncodedBatch } from '../rows/batches.js';
import type { FieldSink } from '../rows/pg-rows.js';
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

const enum Read {
  Header,
  Extension,
  Count,
  Length,
  Data,
  Done,
}

/**
 * The tuples of a binary COPY, read from its data however the messages and the socket cut it:
 * each field is handed to the sink whole when its bytes are together, in pieces when the sink
 * streams that field and its bytes are not, gathered first otherwise.
 */
export class TupleReader {
  private state = Read.Header;
  /** Bytes of a header, count or length cut by the end of a piece. */
  private readonly scratch = Buffer.alloc(HEADER);
  private scratched = 0;
  private fields = 0;
  private field = 0;
  /** Bytes of the current field (Data) or the header extension (Extension) still to come. */
  private left = 0;
  private length = 0;
  /** The current field's bytes, gathered (null: streamed to the sink). */
  private gathered: Buffer | null = null;

  constructor(private readonly sink: FieldSink) {}

  /** The next bytes of the COPY's data. */
  read(data: Buffer, at: number, end: number): void {
    while (at < end) {
      switch (this.state) {
        case Read.Count: {
          if (this.scratched === 0 && at + 2 <= end) {
            this.fields = data.readInt16BE(at);
            at += 2;
          } else {
            at = this.gather(data, at, end, 2);
            if (this.scratched < 2) return;
            this.fields = this.scratch.readInt16BE(0);
            this.scratched = 0;
          }
          if (this.fields === -1) this.state = Read.Done;
          else if (this.fields === 0) this.sink.endRow();
          else at = this.tuple(data, at, end);
          break;
        }
        case Read.Length: {
          let length: number;
          if (this.scratched === 0 && at + 4 <= end) {
            length = data.readInt32BE(at);
            at += 4;
          } else {
            at = this.gather(data, at, end, 4);
            if (this.scratched < 4) return;
            length = this.scratch.readInt32BE(0);
            this.scratched = 0;
          }
          if (length < 0) this.next(data, -1, -1);
          else if (at + length <= end) {
            this.next(data, at, at + length);
            at += length;
          } else {
            this.length = length;
            this.left = length;
            this.gathered = this.sink.streams(this.field) ? null : Buffer.allocUnsafe(length);
            this.state = Read.Data;
          }
          break;
        }
        case Read.Data:
          at = this.data(data, at, end);
          break;
        case Read.Header: {
          at = this.gather(data, at, end, HEADER);
          if (this.scratched < HEADER) return;
          this.left = this.scratch.readInt32BE(SIGNATURE + 4);
          this.scratched = 0;
          this.state = Read.Extension;
          break;
        }
        case Read.Extension: {
          const skipped = Math.min(this.left, end - at);
          at += skipped;
          this.left -= skipped;
          if (this.left === 0) this.state = Read.Count;
          break;
        }
        case Read.Done:
          return;
      }
    }
  }

  /**
   * A tuple's fields from data[at] on, as long as each is whole in the piece (a CopyData
   * message holds one tuple: all of them but where the socket cut one), without the state
   * machine's steps; from the first that is not, the machine takes over. Returns where it stopped.
   */
  private tuple(data: Buffer, at: number, end: number): number {
    const sink = this.sink;
    const fields = this.fields;
    let field = 0;
    while (field < fields && at + 4 <= end) {
      const length = (data[at] << 24) | (data[at + 1] << 16) | (data[at + 2] << 8) | data[at + 3];
      if (length < 0) sink.value(field, data, -1, -1);
      else if (at + 4 + length <= end) sink.value(field, data, at + 4, at + 4 + length);
      else break;
      at += length < 0 ? 4 : 4 + length;
      field++;
    }
    if (field === fields) {
      sink.endRow(); // the state stays Count
      return at;
    }
    this.field = field;
    this.state = Read.Length;
    return at;
  }

  /** Part of a field cut by the end of a piece: streamed or gathered. */
  private data(data: Buffer, at: number, end: number): number {
    const n = Math.min(this.left, end - at);
    this.left -= n;
    if (this.gathered === null) this.sink.piece(this.field, data, at, at + n, this.left === 0);
    else data.copy(this.gathered, this.length - this.left - n, at, at + n);
    if (this.left === 0) {
      const gathered = this.gathered;
      this.gathered = null;
      if (gathered === null) this.advance();
      else this.next(gathered, 0, this.length);
    }
    return at + n;
  }

  /** A whole field: to the sink, then the next one. */
  private next(data: Buffer, start: number, end: number): void {
    this.sink.value(this.field, data, start, end);
    this.advance();
  }

  private advance(): void {
    this.state = Read.Length;
    if (++this.field < this.fields) return;
    this.state = Read.Count;
    this.sink.endRow();
  }

  /** Gathers up to `size` bytes into the scratch buffer; returns where it stopped. */
  private gather(data: Buffer, at: number, end: number, size: number): number {
    const n = Math.min(size - this.scratched, end - at);
    data.copy(this.scratch, this.scratched, at, at + n);
    this.scratched += n;
    return at + n;
  }
}

/**
 * A pg Submittable: `client.query(new CopyOut(sql, sink))`. The sink gets each row's fields
 * (valid only during the call: no view is made per field). `done` settles when the server is done.
 */
export class CopyOut {
  readonly done: Promise<void>;
  private resolve!: () => void;
  private reject!: (error: Error) => void;
  private connection: PgConnection | null = null;
  private readonly tuples: TupleReader;
  private failure: Error | null = null;
  /** Bytes of the CopyData message being read that are still to come (while the COPY's messages are read here). */
  private messageLeft = 0;
  /** The message being read is not a row (CopyOutResponse): its bytes are skipped. */
  private skipping = false;
  /** A message's type and length cut by the end of a chunk. */
  private readonly head = Buffer.alloc(5);
  private headed = 0;
  /** Gives the socket back to node-postgres, with the bytes it has to read; null when it has it. */
  private giveBack: ((rest: Buffer) => void) | null = null;

  constructor(
    private readonly text: string,
    sink: FieldSink,
  ) {
    this.tuples = new TupleReader(sink);
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

  /** The COPY's messages in `chunk`, up to the first that is neither a row nor the COPY's start. */
  private readMessages(chunk: Buffer): void {
    let at = 0;
    for (;;) {
      if (this.messageLeft > 0) {
        const n = Math.min(this.messageLeft, chunk.length - at);
        if (!this.skipping) this.rows(chunk, at, at + n);
        at += n;
        this.messageLeft -= n;
        if (this.messageLeft > 0) return;
      }
      if (at >= chunk.length) return;
      let type: number;
      let length: number;
      const start = at;
      if (this.headed === 0 && at + 5 <= chunk.length) {
        type = chunk[at];
        length = chunk.readInt32BE(at + 1);
        at += 5;
      } else {
        const n = Math.min(5 - this.headed, chunk.length - at);
        chunk.copy(this.head, this.headed, at, at + n);
        this.headed += n;
        at += n;
        if (this.headed < 5) return;
        this.headed = 0;
        type = this.head[0];
        length = this.head.readInt32BE(1);
        if (type !== COPY_DATA && type !== COPY_OUT_RESPONSE) {
          this.giveBack?.(Buffer.concat([this.head, chunk.subarray(at)]));
          return;
        }
      }
      if (type !== COPY_DATA && type !== COPY_OUT_RESPONSE) {
        this.giveBack?.(chunk.subarray(start));
        return;
      }
      this.skipping = type !== COPY_DATA;
      this.messageLeft = length - 4;
    }
  }

  pause(): void {
    this.connection?.stream.pause();
  }

  resume(): void {
    this.connection?.stream.resume();
  }

  handleCopyData(message: { chunk: Buffer }): void {
    this.rows(message.chunk, 0, message.chunk.length);
  }

  /** Bytes of the COPY's data, data[start, end). */
  private rows(data: Buffer, start: number, end: number): void {
    if (this.failure !== null || start >= end) return;
    try {
      this.tuples.read(data, start, end);
    } catch (error) {
      this.failure = error as Error;
    }
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

/** What reads a statement's rows: a sink of their fields, whose batches go to `emit`, and its last batch when the COPY ends. */
export interface CopyEncoder {
  sink: FieldSink;
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
  encoder: (emit: (batch: EncodedBatch) => void) => CopyEncoder,
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
    const state: StatementState = { batches: [], done: false, copy: null as unknown as CopyOut, failure: null };
    const encode = encoder((full) => {
      state.batches.push(full);
      if (state.batches.length >= queued) state.copy.pause();
      wake?.();
    });
    state.copy = new CopyOut(`COPY (${statements[s]}) TO STDOUT (FORMAT binary)`, encode.sink);
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
