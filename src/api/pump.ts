import type { DumpStats, Resolved } from '../options.js';
import type { Sink } from '../sink/sink.js';
import { AsyncDriver } from './drive-async.js';
import { openSink, type Destination } from './destination.js';

/** Streams the walk of `value` into `dest`; on any failure the sink is cleaned up first. */
export async function pump(value: unknown, dest: Destination, o: Resolved, lines: boolean): Promise<DumpStats> {
  const driver = new AsyncDriver(value, o, lines);
  const w = driver.walker;
  let sink: Sink | null = null;
  // The walk starts while the destination opens: promises in the value get their handlers
  // now, not after a file system round trip (when Node would call them unhandled).
  let next = driver.next();
  next.catch(() => {}); // awaited below; this only keeps an early failure from being "unhandled"
  try {
    // Neither opening nor finishing races the signal: a half-opened or half-renamed file would leak.
    sink = await openSink(dest, o);
    sink.watch?.((err) => driver.interrupt(err));
    let chunk: string[] | null;
    while ((chunk = await next) !== null) {
      const wait = sink.write(chunk);
      if (wait !== undefined) await driver.guard(wait);
      o.onProgress?.({ bytes: sink.bytes, values: w.values, items: w.items });
      next = driver.next();
    }
    await sink.finish();
    return { bytes: sink.bytes, values: w.values, items: w.items };
  } catch (err) {
    driver.abort();
    await sink?.fail();
    throw err;
  }
}
