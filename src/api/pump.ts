import type { DumpStats, Resolved } from '../options.js';
import type { Sink } from '../sink/sink.js';
import { AsyncDriver } from './drive-async.js';
import { openSink, type Destination } from './destination.js';

/** Streams the walk of `value` into `dest`; on any failure the sink is cleaned up first. */
export async function pump(value: unknown, dest: Destination, o: Resolved, lines: boolean): Promise<DumpStats> {
  const driver = new AsyncDriver(value, o, lines);
  const w = driver.walker;
  let sink: Sink | null = null;
  try {
    // Neither opening nor finishing races the signal: a half-opened or half-renamed file would leak.
    sink = await openSink(dest, o);
    let chunk: string | null;
    while ((chunk = await driver.next()) !== null) {
      const wait = sink.write(chunk);
      if (wait !== undefined) await driver.guard(wait);
      o.onProgress?.({ bytes: sink.bytes, values: w.values, items: w.items });
    }
    await sink.finish();
    return { bytes: sink.bytes, values: w.values, items: w.items };
  } catch (err) {
    driver.abort();
    await sink?.fail();
    throw err;
  }
}
