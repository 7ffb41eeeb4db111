import type { Writable } from 'node:stream';
import { encodePieces, joinPieces } from '../encode/pieces.js';
import type { Sink } from './sink.js';

type AnyWritable = NodeJS.WritableStream & Partial<Pick<Writable, 'destroyed' | 'writableFinished' | 'writableEnded' | 'writableObjectMode'>>;

function prematureClose(): Error {
  return Object.assign(new Error('the destination closed before the dump finished'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
}

/**
 * A Writable destination: waits for 'drain' when write() returns false, and fails as soon as
 * the stream errors or closes, instead of writing into the void.
 */
export class WritableSink implements Sink {
  bytes = 0;
  private error: unknown = null;
  private wake: (() => void) | null = null;
  private onFailure: ((err: unknown) => void) | null = null;
  private readonly onError = (err: unknown) => this.stop(err);
  private finished = false;
  private readonly onClose = () => {
    if (!this.finished) this.stop(prematureClose());
  };
  private readonly onDrain = () => this.resume();
  private readonly onFinished = () => {
    this.finished = true;
    this.resume();
  };

  constructor(
    private readonly stream: AnyWritable,
    private readonly end: boolean,
  ) {
    if (stream.destroyed || stream.writableEnded) this.error = prematureClose();
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

  async finish(): Promise<void> {
    try {
      this.check();
      if (this.end) {
        this.stream.on('finish', this.onFinished);
        this.stream.end();
        if (!this.stream.writableFinished) await this.until();
      }
      this.check();
    } finally {
      this.detach();
    }
  }

  async fail(): Promise<void> {
    this.detach();
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

  watch(onFailure: (err: unknown) => void): void {
    this.onFailure = onFailure;
  }

  private stop(err: unknown): void {
    if (this.error === null) this.error = err;
    this.wake?.();
    this.onFailure?.(this.error);
  }

  private resume(): void {
    this.wake?.();
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
