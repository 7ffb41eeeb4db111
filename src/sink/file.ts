import { write as fsWrite } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { Utf8Buffers } from '../encode/pieces.js';
import type { Sink } from './sink.js';

/** Writes part of a buffer, resolving to the number of bytes written. */
type WriteSome = (buf: Buffer, offset: number) => Promise<number>;

export function fdWriter(fd: number): WriteSome {
  return (buf, offset) =>
    new Promise((resolve, reject) => {
      fsWrite(fd, buf, offset, buf.length - offset, null, (err, n) => (err ? reject(err) : resolve(n)));
    });
}

export function handleWriter(fh: FileHandle): WriteSome {
  return (buf, offset) => fh.write(buf, offset, buf.length - offset).then((r) => r.bytesWritten);
}

/**
 * Writes to a file descriptor with one write in flight: the next chunk is encoded while the
 * previous one is being written, which is how streaming beats stringify-then-write.
 */
export class FileSink implements Sink {
  bytes = 0;
  private inflight: Promise<void> | null = null;
  private readonly utf8 = new Utf8Buffers();
  private error: unknown = null;

  constructor(
    private readonly writeSome: WriteSome,
    private readonly onFinish: () => Promise<void> = async () => {},
    private readonly onFail: () => Promise<void> = async () => {},
  ) {}

  write(pieces: string[]): Promise<void> | void {
    this.check();
    // Encoded now, while the previous chunk is still being written.
    return this.writeBuffer(this.utf8.encode(pieces));
  }

  /** Writes bytes the caller leaves untouched until the returned promise (if any) settles. */
  writeBuffer(buf: Buffer): Promise<void> | void {
    this.check();
    this.bytes += buf.length;
    if (this.inflight === null) {
      this.inflight = this.send(buf);
      return;
    }
    return this.inflight.then(() => {
      this.check();
      this.inflight = this.send(buf);
    });
  }

  async finish(): Promise<void> {
    await this.inflight;
    this.check();
    await this.onFinish();
  }

  async fail(): Promise<void> {
    await this.inflight;
    await this.onFail().catch(() => {});
  }

  private check(): void {
    if (this.error !== null) throw this.error;
  }

  /** Never rejects: a failure is kept and raised by the next write or finish. */
  private async send(buf: Buffer): Promise<void> {
    let offset = 0;
    try {
      while (offset < buf.length) {
        try {
          offset += await this.writeSome(buf, offset);
        } catch (err) {
          // A non-blocking pipe or terminal that is full: wait and try again, as sonic-boom does.
          if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
          await sleep(1);
        }
      }
    } catch (err) {
      this.error = err;
    }
  }
}
