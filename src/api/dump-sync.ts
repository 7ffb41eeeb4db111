import { openSinkSync, type SyncDestination } from '../drive/destination.js';
import { SyncDriver } from '../drive/drive-sync.js';
import { pumpSync } from '../drive/pump.js';
import { resolveOptions, type DumpOptions, type DumpStats } from '../options.js';

/** Writes the JSON text of `value` to a path or fd with sync writes, chunk by chunk. */
export function dumpSync(value: unknown, destination: SyncDestination, options?: DumpOptions): DumpStats {
  const o = resolveOptions(options);
  const sink = openSinkSync(destination, o);
  return pumpSync(new SyncDriver(value, o), sink, o.onProgress);
}
