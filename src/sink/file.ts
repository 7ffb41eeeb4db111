import fs from 'node:fs';
import { Utf8Buffers } from '../encode/pieces.js';
import { runAsync, runSync, type FileSystem } from './fs.js';
import { closeFile, commit, discard, removeTemp, type OpenFile } from './path.js';
import { FD_RETRY, writeAll, type RetryPolicy, type StopFlag } from './retry.js';
import type { Sink, SyncSink } from './sink.js';

/** How a file sink reaches the disk: node:fs and FD_RETRY, unless a test injects faults. */
export interface FileIo {
  fs?: FileSystem;
  retry?: RetryPolicy;
}

/** fdatasync behind the writes every this many bytes (see FileSink.syncBehind). */
const SYNC_EVERY = 8 << 20;

/**
 * Writes to a file descriptor with one write in flight: the next chunk is encoded while the
 * previous one is being written, which is how streaming beats stringify-then-write.
 */
export class FileSink implements Sink {
  bytes = 0;
  private readonly fs: FileSystem;
  private readonly retry: RetryPolicy;
  private readonly stop: StopFlag = { stopped: false };
  private readonly utf8 = new Utf8Buffers();
  private inflight: Promise<void> | null = null;
  private error: unknown = null;
  private syncing: Promise<void> | null = null;
  private unsynced = 0;
  /** A write is in the file system's hands. */
  private writing = false;

  constructor(
    private readonly file: OpenFile,
    io: FileIo = {},
  ) {
    this.fs = io.fs ?? fs;
    this.retry = io.retry ?? FD_RETRY;
  }

  write(pieces: string[]): Promise<void> | void {
    this.check();
    // Encoded now, while the previous chunk is still being written.
    return this.writeBytes(this.utf8.encode(pieces));
  }

  /** Writes bytes the caller leaves untouched until the returned promise (if any) settles. */
  writeBytes(buf: Uint8Array): Promise<void> | void {
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

  async flush(): Promise<void> {
    await this.inflight;
    await this.syncing;
    this.check();
  }

  finish(): Promise<void> {
    return runAsync(commit(this.file), this.fs);
  }

  /**
   * Does not wait for a write in flight: one to a pipe nobody reads never ends. A temporary file
   * goes now; an fd the sink opened is closed once nothing uses it (closing it under a queued
   * write could let that write land in a file opened later under the same number).
   */
  async fail(): Promise<void> {
    this.stop.stopped = true;
    const file = this.file;
    await runAsync(removeTemp(file), this.fs);
    if (!file.owned) return;
    const close = () => runAsync(closeFile(file), this.fs);
    if (!this.writing && this.syncing === null) return close();
    void Promise.all([this.inflight, this.syncing]).then(close, close);
  }

  /**
   * An atomic write ends with an fsync, which on a large file waits for all of it to reach the
   * disk: fdatasync every few MiB in the background instead, so the last one has little left
   * to do and the dirty pages of a long dump do not pile up (`node bench/sinks.js fsync`: the
   * final fsync of a 100 MB dump takes 9 ms instead of 86 ms).
   */
  private syncBehind(bytes: number): void {
    if (this.file.temp === null || (this.unsynced += bytes) < SYNC_EVERY || this.syncing !== null) return;
    this.unsynced = 0;
    this.syncing = new Promise((resolve) => {
      this.fs.fdatasync(this.file.fd, (err) => {
        if (err && this.error === null) this.error = err;
        this.syncing = null;
        resolve();
      });
    });
  }

  private check(): void {
    if (this.error !== null) throw this.error;
  }

  /** Never rejects: a failure is kept and raised by the next write or flush. */
  private async send(buf: Uint8Array): Promise<void> {
    this.syncBehind(buf.length);
    this.writing = true;
    try {
      await runAsync(writeAll(this.file.fd, buf, this.retry, this.stop), this.fs);
    } catch (err) {
      if (this.error === null) this.error = err;
    } finally {
      this.writing = false;
    }
  }
}

/** The sync file sink of dumpSync: each chunk written whole before the walk goes on. */
export class FileSinkSync implements SyncSink {
  bytes = 0;
  private readonly fs: FileSystem;
  private readonly retry: RetryPolicy;
  private readonly utf8 = new Utf8Buffers();

  constructor(
    private readonly file: OpenFile,
    io: FileIo = {},
  ) {
    this.fs = io.fs ?? fs;
    this.retry = io.retry ?? FD_RETRY;
  }

  write(pieces: string[]): void {
    this.writeBytes(this.utf8.encode(pieces));
  }

  writeBytes(buf: Uint8Array): void {
    runSync(writeAll(this.file.fd, buf, this.retry, { stopped: false }), this.fs);
    this.bytes += buf.length;
  }

  flush(): void {}

  finish(): void {
    runSync(commit(this.file), this.fs);
  }

  fail(): void {
    runSync(discard(this.file), this.fs);
  }
}
