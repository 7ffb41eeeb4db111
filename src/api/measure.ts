import { AsyncDriver } from '../drive/drive-async.js';
import { SyncDriver } from '../drive/drive-sync.js';
import { pump, pumpSync } from '../drive/pump.js';
import { stringifyOptions, type DumpArgs, type StringifyReplacer, type StringifySpace } from '../drive/stringify-args.js';
import { resolveOptions, type DumpOptions, type DumpStats } from '../options.js';
import { CountingSink } from '../sink/counting.js';
import { checkFirst } from '../drive/sweep.js';

/** JSON.stringify's arguments: the stats of `JSON.stringify(value, replacer, space)`'s text. */
export function measure(value: unknown, replacer: StringifyReplacer, space?: StringifySpace): Promise<DumpStats>;
/**
 * The stats `dump(value, destination, options)` would return, writing nothing: for a
 * Content-Length or to plan a batch. The value is walked as a dump walks it, so generators,
 * async iterables and streams in it are consumed: measure a value you can make twice.
 */
export function measure(value: unknown, options?: DumpOptions | null): Promise<DumpStats>;
export async function measure(value: unknown, ...args: DumpArgs): Promise<DumpStats> {
  const o = checkFirst(value, () => resolveOptions(stringifyOptions(args)));
  return pump(new AsyncDriver(value, o), async () => new CountingSink(), o.onProgress);
}

/** JSON.stringify's arguments: the stats of `JSON.stringify(value, replacer, space)`'s text. */
export function measureSync(value: unknown, replacer: StringifyReplacer, space?: StringifySpace): DumpStats;
/** measure with sync calls: refuses async values (ERR_ASYNC_VALUE) as dumpSync does. */
export function measureSync(value: unknown, options?: DumpOptions | null): DumpStats;
export function measureSync(value: unknown, ...args: DumpArgs): DumpStats {
  const o = checkFirst(value, () => resolveOptions(stringifyOptions(args)));
  return pumpSync(new SyncDriver(value, o), new CountingSink(), o.onProgress);
}
