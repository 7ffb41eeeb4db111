import type { WritableStream, WritableStreamDefaultWriter } from 'node:stream/web';
import { encodePieces } from '../encode/pieces.js';
import type { Sink } from './sink.js';

/** A plain Uint8Array view of a chunk: a Web stream's consumer need not know Buffer. */
export function toUint8Array(buf: Buffer): Uint8Array {
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
}

/**
 * A WHATWG WritableStream destination, written through its writer: the dump waits on `ready`
 * whenever `desiredSize` says the queue is full. With `end`, the stream is closed on success
 * and aborted with the error on failure, as a Node Writable is ended or destroyed.
 */
export class WebWritableSink implements Sink {
  bytes = 0;
  private readonly writer: WritableStreamDefaultWriter<Uint8Array>;
  private error: unknown = null;
  private last: Promise<void> = Promise.resolve();
  private onFailure: ((err: unknown) => void) | null = null;
  /** The lock is released: the writer's promises now reject for that reason alone. */
  private released = false;

  constructor(
    stream: WritableStream<Uint8Array>,
    private readonly end: boolean,
  ) {
    this.writer = stream.getWriter();
    this.writer.closed.catch((err: unknown) => this.stop(err));
  }

  write(pieces: string[]): Promise<void> | void {
    // A new buffer per chunk: the stream may hold it in its queue.
    return this.writeBytes(toUint8Array(encodePieces(pieces)));
  }

  /** `bytes` goes into the stream's queue as it is: the caller gives it up. */
  writeBytes(chunk: Uint8Array): Promise<void> | void {
    this.check();
    this.bytes += chunk.length;
    this.last = this.writer.write(chunk);
    this.last.catch((err: unknown) => this.stop(err));
    if (!((this.writer.desiredSize ?? 0) > 0)) return this.writer.ready.then(() => this.check());
  }

  async flush(): Promise<void> {
    this.check();
    await (this.end ? this.writer.close() : this.last);
    this.check();
  }

  finish(): void {
    this.release();
  }

  fail(err: unknown): void {
    if (this.end) this.writer.abort(err).catch(() => {});
    this.release();
  }

  watch(onFailure: (err: unknown) => void): void {
    this.onFailure = onFailure;
  }

  private release(): void {
    this.released = true;
    this.writer.releaseLock();
  }

  private stop(err: unknown): void {
    if (this.released) return;
    if (this.error === null) this.error = err;
    this.onFailure?.(this.error);
  }

  private check(): void {
    if (this.error !== null) throw this.error;
  }
}
