import type { Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { encodePieces, joinPieces } from '../encode/pieces.js';
import type { Sink } from './sink.js';

type AnyWritable = NodeJS.WritableStream &
  Partial<Pick<Writable, 'destroyed' | 'errored' | 'writableFinished' | 'writableEnded' | 'writableObjectMode' | 'destroy'>>;

function prematureClose(): Error {
  return Object.assign(new Error('the destination closed before the dump finished'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
}

/** The process's own output: later output (a log line, the next dump) still needs it. */
function isStdio(stream: object): boolean {
  return stream === process.stdout || stream === process.stderr;
}

const ignore = (): void => {};

/**
 * A Writable destination: waits for 'drain' when write() returns false, and fails as soon as
 * the stream errors or closes, instead of writing into the void.
 *
 * With `end` (the default) the dump owns the end of the stream: it ends it on success and
 * destroys it with the error on failure, so that a reader (an HTTP client) sees the body fail
 * instead of waiting forever for the rest of it. stdout and stderr are never ended nor destroyed.
 */
export class WritableSink implements Sink {
  bytes = 0;
  private readonly end: boolean;
  private error: unknown = null;
  private decoder: StringDecoder | null = null;
  private wake: (() => void) | null = null;
  private onFailure: ((err: unknown) => void) | null = null;
  private readonly onError = (err: unknown) => this.stop(err);
  private finished = false;
  private readonly onClose = () => {
    if (!this.finished) this.stop(prematureClose());
  };
  private readonly onDrain = () => this.wake?.();
  private readonly onFinished = () => {
    this.finished = true;
    this.wake?.();
  };

  constructor(
    private readonly stream: AnyWritable,
    end: boolean,
  ) {
    this.end = end && !isStdio(stream);
    // A stream that failed earlier and was not destroyed (autoDestroy: false) would buffer
    // every write and never drain.
    if (stream.errored) this.error = stream.errored;
    else if (stream.destroyed || stream.writableEnded) this.error = prematureClose();
    stream.on('error', this.onError);
    stream.on('close', this.onClose);
    stream.on('drain', this.onDrain);
  }

  write(pieces: string[]): Promise<void> | void {
    this.check();
    let ok: boolean;
    if (this.stream.writableObjectMode) {
      const chunk = joinPieces(pieces);
      this.bytes += Buffer.byteLength(chunk);
      ok = this.stream.write(chunk);
    } else {
      // Bytes straight from the pieces: a string would be joined, then encoded by the stream.
      const chunk = encodePieces(pieces);
      this.bytes += chunk.length;
      ok = this.stream.write(chunk);
    }
    if (!ok) return this.until();
  }

  writeBytes(bytes: Uint8Array): Promise<void> | void {
    this.check();
    this.bytes += bytes.length;
    // An object-mode stream gets text, as write() gives it; a character split between two
    // byte chunks is held by the decoder until its other half comes.
    const chunk = this.stream.writableObjectMode ? (this.decoder ??= new StringDecoder('utf8')).write(bytes as Buffer) : bytes;
    if (!this.stream.write(chunk)) return this.until();
  }

  async flush(): Promise<void> {
    this.check();
    if (this.end) {
      this.stream.on('finish', this.onFinished);
      this.stream.end();
      if (!this.stream.writableFinished) await this.until();
    }
    this.check();
  }

  finish(): void {
    this.detach();
  }

  fail(err: unknown): void {
    this.detach();
    const s = this.stream;
    if (!this.end || s.destroyed || typeof s.destroy !== 'function') return;
    if (s.errored) {
      s.destroy();
      return;
    }
    // destroy(err) emits 'error' on the next tick: without a listener of the caller's, that
    // would be uncaught. With one, nothing of ours stays on the stream once the dump settles.
    if (s.listenerCount('error') === 0) s.once('error', ignore);
    s.destroy(err as Error);
  }

  watch(onFailure: (err: unknown) => void): void {
    this.onFailure = onFailure;
  }

  private until(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.wake = () => {
        this.wake = null;
        if (this.error !== null) reject(this.error);
        else resolve();
      };
      if (this.error !== null) this.wake();
    });
  }

  private stop(err: unknown): void {
    if (this.error === null) this.error = err;
    this.wake?.();
    this.onFailure?.(this.error);
  }

  private check(): void {
    if (this.error !== null) throw this.error;
  }

  private detach(): void {
    const s = this.stream;
    s.removeListener('error', this.onError);
    s.removeListener('close', this.onClose);
    s.removeListener('drain', this.onDrain);
    s.removeListener('finish', this.onFinished);
  }
}
