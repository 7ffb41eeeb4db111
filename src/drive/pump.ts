import type { DumpProgress, DumpStats } from '../options.js';
import type { Sink, SyncSink } from '../sink/sink.js';
import type { SyncDriver } from './drive-sync.js';

type OnProgress = ((progress: DumpProgress) => void) | null;

/** A chunk of output: text as pieces (a walk's: see Walker.takePieces), or UTF-8 bytes (re-encoded JSON, the CLI's records). */
export type Chunk = string[] | Uint8Array;

/**
 * What the pump pulls from: a walk (AsyncDriver), the byte re-encoder (reformat), the CLI's
 * records of one part. It owns what stops it: its signal, its limits, its own errors.
 */
export interface ChunkSource {
  /** The next chunk, or null when everything is out. */
  next(): Promise<Chunk | null>;
  /** Waits for `p` (the sink), unless the source is interrupted or aborted first. */
  guard<T>(p: Promise<T> | T): Promise<T>;
  /** The destination failed while nothing was written: a pending wait rejects with `err`. */
  interrupt(err: unknown): void;
  /** After a failure: ends the source (open iterators, streams and inputs closed). */
  abort(): void;
  /** The counters so far, with `bytes` written. */
  progress(bytes: number): DumpProgress;
  /** Keeps listening to the signal until release(), so the sink's last waits can be cut short too. */
  holdSignal?(): void;
  release?(): void;
}

function writeChunk(sink: Sink, chunk: Chunk): Promise<void> | void {
  return Array.isArray(chunk) ? sink.write(chunk) : sink.writeBytes(chunk as Uint8Array);
}

/**
 * Streams `source` into the sink `open` gives, waiting whenever the sink pushes back; on any
 * failure the source is ended and the sink cleaned up before the error is thrown.
 */
export async function pump(source: ChunkSource, open: () => Promise<Sink>, onProgress: OnProgress): Promise<DumpStats> {
  let sink: Sink | null = null;
  source.holdSignal?.();
  // The source starts while the destination opens: promises in a dumped value get their
  // handlers now, not after a file system round trip (when Node would call them unhandled).
  let next = source.next();
  next.catch(() => {}); // awaited below; this only keeps an early failure from being "unhandled"
  try {
    // Opening is not cut short by the signal: a half-opened temporary file would leak.
    sink = await open();
    sink.watch?.((err) => source.interrupt(err));
    let chunk: Chunk | null;
    while ((chunk = await next) !== null) {
      const wait = writeChunk(sink, chunk);
      if (wait !== undefined) await source.guard(wait);
      onProgress?.(source.progress(sink.bytes));
      next = source.next();
    }
    await source.guard(sink.flush());
    // Not cut short either: a rename is done or not done, never half.
    await sink.finish();
    return source.progress(sink.bytes);
  } catch (err) {
    source.abort();
    await sink?.fail(err);
    throw err;
  } finally {
    source.release?.();
  }
}

/** pump for dumpSync and measureSync: the same steps with sync calls. */
export function pumpSync(driver: SyncDriver, sink: SyncSink, onProgress: OnProgress): DumpStats {
  try {
    let chunk: string[] | null;
    while ((chunk = driver.next()) !== null) {
      sink.write(chunk);
      onProgress?.(driver.progress(sink.bytes));
    }
    sink.flush();
    sink.finish();
    return driver.progress(sink.bytes);
  } catch (err) {
    driver.abort();
    sink.fail(err);
    throw err;
  }
}
