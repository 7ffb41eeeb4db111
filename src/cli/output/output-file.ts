// Where the bytes go: stdout, or a file (atomic unless asked otherwise), compressed by its name.
import { createHash, type Hash } from 'node:crypto';
import { fstatSync, statSync } from 'node:fs';
import { lstat, unlink } from 'node:fs/promises';
import { Transform, type Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { createFileWriteStream } from '../../index.js';
import { WritableSink } from '../../sink/writable.js';
import { compressorFor } from './compression.js';

/** What a finished file holds, as written to disk (compressed, when it is). */
export interface Written {
  bytes: number;
  /** Hex SHA-256 of the file, when asked for. */
  sha256: string | null;
}

export interface Output {
  /** Queues `chunk`; resolves once the destination can take more. */
  write(chunk: Uint8Array): Promise<void>;
  /** Ends the output (for an atomic file: fsync and rename into place). */
  finish(): Promise<Written>;
  /** Discards the output: no temporary or partial file is left. Never rejects. */
  abort(): Promise<void>;
}

/**
 * The library's sink over the first stage: it waits for 'drain' when the stream pushes back,
 * and fails a write as soon as the stream errors or closes. Not ended by it: finish() ends the
 * stages and waits for the file.
 */
const writesTo = (stream: Writable) => new WritableSink(stream, false);

/** Bytes and SHA-256 of what flows through. */
class Meter extends Transform {
  bytes = 0;
  private readonly hash: Hash = createHash('sha256');
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.bytes += chunk.length;
    this.hash.update(chunk);
    this.push(chunk);
    callback();
  }
  digest(): string {
    return this.hash.digest('hex');
  }
}

export interface FileOutputOptions {
  atomic: boolean;
  /** Count the file's bytes and hash them (for a manifest). */
  measure: boolean;
  /** The name that picks the compression, when the file is written under another first. */
  finalName?: string;
}

/** Without a temporary file, a failure leaves a partial file: removed, unless it is not a regular file (a FIFO, a device). */
async function removePartial(path: string): Promise<void> {
  const stat = await lstat(path).catch(() => null);
  if (stat?.isFile()) await unlink(path).catch(() => {});
}

/** Opens `path` for writing; a directory that does not exist or cannot be written fails here, before any output. */
export async function openFile(path: string, options: FileOutputOptions): Promise<Output> {
  const file = createFileWriteStream(path, { atomic: options.atomic });
  const compressor = compressorFor(options.finalName ?? path)?.() ?? null;
  const meter = options.measure ? new Meter() : null;
  const stages = [compressor, meter].filter((s) => s !== null);
  const head: Writable = stages[0] ?? file;
  const done = stages.length > 0 ? pipeline([...stages, file]) : finished(file);
  done.catch(() => {}); // awaited by finish(); a failure also rejects the write that waits on it
  const closed = new Promise<void>((resolve) => file.once('close', resolve));
  // A zero-length write completes once the file is open, or fails with the reason it cannot be
  await new Promise<void>((resolve, reject) => file.write(Buffer.alloc(0), (error) => (error ? reject(error) : resolve())));
  let aborted = false;
  const sink = writesTo(head);
  return {
    async write(chunk) {
      await sink.writeBytes(chunk);
    },
    async finish() {
      sink.finish();
      head.end();
      await done;
      await closed;
      return { bytes: meter?.bytes ?? 0, sha256: meter?.digest() ?? null };
    },
    async abort() {
      if (aborted) return;
      aborted = true;
      sink.fail(null);
      for (const stream of [...stages, file]) stream.destroy();
      await closed;
      if (!options.atomic) await removePartial(path);
    },
  };
}

/** stdout, which is never ended: the process may still write to it. */
export function stdoutOutput(): Output {
  const sink = writesTo(process.stdout);
  return {
    async write(chunk) {
      await sink.writeBytes(chunk);
    },
    async finish() {
      sink.finish();
      return { bytes: 0, sha256: null };
    },
    async abort() {
      sink.fail(null);
    },
  };
}

/** Whether `path` is the terminal stderr is on (`-o /dev/stdout` or `-o /dev/tty` at a terminal). */
export function isStderrTerminal(path: string): boolean {
  try {
    const out = statSync(path);
    return out.isCharacterDevice() && out.rdev === fstatSync(2).rdev;
  } catch {
    return false;
  }
}
