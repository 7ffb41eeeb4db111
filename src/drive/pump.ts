import type { DumpProgress, DumpStats } from '../options.js';
import type { Sink, SyncSink } from '../sink/sink.js';
import type { AsyncDriver } from './drive-async.js';
import type { SyncDriver } from './drive-sync.js';

type OnProgress = ((progress: DumpProgress) => void) | null;

/**
 * Streams a walk into the sink `open` gives; on any failure the walk is ended (open iterators
 * closed) and the sink cleaned up before the error is thrown.
 */
export async function pump(driver: AsyncDriver, open: () => Promise<Sink>, onProgress: OnProgress): Promise<DumpStats> {
  let sink: Sink | null = null;
  driver.holdSignal();
  // The walk starts while the destination opens: promises in the value get their handlers
  // now, not after a file system round trip (when Node would call them unhandled).
  let next = driver.next();
  next.catch(() => {}); // awaited below; this only keeps an early failure from being "unhandled"
  try {
    // Opening is not cut short by the signal: a half-opened temporary file would leak.
    sink = await open();
    sink.watch?.((err) => driver.interrupt(err));
    let chunk: string[] | null;
    while ((chunk = await next) !== null) {
      const wait = sink.write(chunk);
      if (wait !== undefined) await driver.guard(wait);
      onProgress?.(driver.progress(sink.bytes));
      next = driver.next();
    }
    await driver.guard(sink.flush());
    // Not cut short either: a rename is done or not done, never half.
    await sink.finish();
    return driver.progress(sink.bytes);
  } catch (err) {
    driver.abort();
    await sink?.fail(err);
    throw err;
  } finally {
    driver.release();
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
