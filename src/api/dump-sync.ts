import { openSinkSync, type SyncDestination } from '../drive/destination.js';
import { SyncDriver } from '../drive/drive-sync.js';
import { pumpSync } from '../drive/pump.js';
import { resolveOptions, type DumpOptions, type DumpStats } from '../options.js';
import { checkFirst } from '../drive/sweep.js';

/** Writes the JSON text of `value` to a path or fd with sync writes, chunk by chunk. */
export function dumpSync(value: unknown, destination: SyncDestination, options?: DumpOptions): DumpStats {
  // Refused before the walk (an option, the destination, a file that cannot be opened): the
  // value's promises are handled and its streams destroyed, as when a dump fails.
  const [o, sink] = checkFirst(value, () => {
    const o = resolveOptions(options);
    return [o, openSinkSync(destination, o)] as const;
  });
  return pumpSync(new SyncDriver(value, o), sink, o.onProgress);
}
