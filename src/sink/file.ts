import fs from 'node:fs';
import { Utf8Gather } from '../encode/pieces.js';
import { runAsync, runSync, type FileSystem } from './fs.js';
import { closeFile, commit, discard, removeTemp, type OpenFile } from './path-target.js';
import { FD_RETRY, writeAll, type RetryPolicy, type StopFlag } from './retry.js';
import type { Sink, SyncSink } from './sink.js';

/** How a file sink reaches the disk: node:fs and FD_RETRY, unless a test injects faults. */
export interface FileIo {
  fs?: FileSystem;
  retry?: RetryPolicy;
}

/** `fd` is open on a regular file (not a pipe, socket or device). Not a fault point: node:fs itself. */
function isRegularFile(fd: number): boolean {
  try {
    return fs.fstatSync(fd).isFile();
  } catch {
    return false;
  }
}

/** fdatasync behind the writes every this many bytes (see FileSink.syncBehind). */
const SYNC_EVERY = 8 << 20;

/**
 * Bytes gathered behind a write in flight before write() waits for it. While the file system
 * keeps up, each chunk is written as it comes; when it falls behind, the chunks that come
 * meanwhile go out as one larger write, so fewer round trips to the thread pool are waited for:
 * dump is 12–18% faster on records, people and texts than with one write per chunk, and
 * 256 KiB to 1 MiB do alike (`node --expose-gc bench/turns.js people/compact --contenders
 * jd-dump-noatomic --dist <a build with GATHER_MAX = 0>,dist`).
 */
export const GATHER_MAX = 1 << 20;

/**
 * Writes to a file descriptor with one write in flight: the next chunks are encoded while the
 * previous ones are being written, which is how streaming beats stringify-then-write.
 */
export class FileSink implements Sink {
  /** UTF-8 bytes taken so far (all of them written once flush() resolves). */
  bytes = 0;
  private readonly fs: FileSystem;
  private readonly retry: RetryPolicy;
  private readonly stop: StopFlag = { stopped: false };
  private readonly gathered = new Utf8Gather();
  /** The write in the file system's hands (settles when it is done; never rejects). */
  private writing: Promise<void> | null = null;
  private error: unknown = null;
  private syncing: Promise<void> | null = null;
  private unsynced = 0;
  /** A regular file: its writes always end (a pipe's wait for a reader). */
  private readonly regular: boolean;

  constructor(
    private readonly file: OpenFile,
    io: FileIo = {},
  ) {
    this.fs = io.fs ?? fs;
    this.retry = io.retry ?? FD_RETRY;
    this.regular = file.temp !== null || isRegularFile(file.fd);
  }

  write(pieces: string[]): Promise<void> | void {
    this.check();
    this.bytes += this.gathered.append(pieces);
    return this.pass();
  }

  /** Writes a copy of `buf`. */
  writeBytes(buf: Uint8Array): Promise<void> | void {
    this.check();
    this.bytes += this.gathered.appendBytes(buf);
    return this.pass();
  }

  async flush(): Promise<void> {
    while (this.writing !== null || this.gathered.size > 0) {
      this.check();
      if (this.writing === null) this.sendGathered();
      await this.writing;
    }
    await this.syncing;
    this.check();
  }

  finish(): Promise<void> {
    return runAsync(commit(this.file), this.fs);
  }

  /**
   * A temporary file goes now. To a file that is kept, what was taken before the failure is
   * still written, behind the write in flight, as if each chunk had been written as it came;
   * that is waited for on a regular file, not on a pipe (a write to one nobody reads never
   * ends). An fd the sink opened is closed once nothing uses it (closing it under a queued
   * write could let that write land in a file opened later under the same number).
   */
  async fail(): Promise<void> {
    this.stop.stopped = true;
    const file = this.file;
    await runAsync(removeTemp(file), this.fs);
    if (file.temp === null && this.error === null && this.gathered.size > 0) {
      const bytes = this.gathered.take();
      this.writing = (this.writing ?? Promise.resolve()).then(() => this.send(bytes));
    }
    if (this.regular && this.writing !== null) await this.writing;
    if (!file.owned) return;
    const close = () => runAsync(closeFile(file), this.fs);
    if (this.writing === null && this.syncing === null) return close();
    void Promise.all([this.writing, this.syncing]).then(close, close);
  }

  /** Sends what is gathered if nothing is in flight; past GATHER_MAX, the caller waits for the write in flight. */
  private pass(): Promise<void> | void {
    if (this.writing === null) return this.sendGathered();
    if (this.gathered.size < GATHER_MAX) return;
    // Resolves after the handler that sends the gathered bytes (registered first).
    return this.writing.then(() => this.check());
  }

  /** Writes the gathered bytes; when that is done, what was gathered meanwhile goes next. */
  private sendGathered(): void {
    const writing: Promise<void> = this.send(this.gathered.take()).then(() => {
      if (this.writing !== writing) return; // fail() queued the last write behind this one
      this.writing = null;
      if (this.gathered.size > 0 && this.error === null && !this.stop.stopped) this.sendGathered();
    });
    this.writing = writing;
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
    try {
      await runAsync(writeAll(this.file.fd, buf, this.retry, this.stop), this.fs);
    } catch (err) {
      if (this.error === null) this.error = err;
    }
  }
}

/**
 * The sync file sink of dumpSync: each chunk written whole before the walk goes on. Gathering
 * chunks into writes of 256 KiB or 1 MiB gains nothing here (within 5%: `node --expose-gc
 * bench/turns.js texts/compact --contenders jd-dumpSync --dist <builds>`).
 */
export class FileSinkSync implements SyncSink {
  bytes = 0;
  private readonly fs: FileSystem;
  private readonly retry: RetryPolicy;
  private readonly gathered = new Utf8Gather();

  constructor(
    private readonly file: OpenFile,
    io: FileIo = {},
  ) {
    this.fs = io.fs ?? fs;
    this.retry = io.retry ?? FD_RETRY;
  }

  write(pieces: string[]): void {
    this.bytes += this.gathered.append(pieces);
    runSync(writeAll(this.file.fd, this.gathered.take(), this.retry, { stopped: false }), this.fs);
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
