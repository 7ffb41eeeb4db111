import { AsyncDriver } from '../drive/drive-async.js';
import { SyncDriver } from '../drive/drive-sync.js';
import { pump, pumpSync } from '../drive/pump.js';
import { resolveOptions, type DumpOptions, type DumpStats } from '../options.js';
import { CountingSink } from '../sink/counting.js';
import { checkFirst } from '../drive/sweep.js';

/**
 * The stats `dump(value, destination, options)` would return, writing nothing: for a
 * Content-Length or to plan a batch. The value is walked as a dump walks it, so generators,
 * async iterables and streams in it are consumed: measure a value you can make twice.
 */
export async function measure(value: unknown, options?: DumpOptions): Promise<DumpStats> {
  const o = checkFirst(value, () => resolveOptions(options));
  return pump(new AsyncDriver(value, o), async () => new CountingSink(), o.onProgress);
}

/** measure with sync calls: refuses async values (ERR_ASYNC_VALUE) as dumpSync does. */
export function measureSync(value: unknown, options?: DumpOptions): DumpStats {
  const o = checkFirst(value, () => resolveOptions(options));
  return pumpSync(new SyncDriver(value, o), new CountingSink(), o.onProgress);
}
