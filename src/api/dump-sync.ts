import { openSinkSync, type SyncDestination } from '../drive/destination.js';
import { SyncDriver } from '../drive/drive-sync.js';
import { pumpSync } from '../drive/pump.js';
import { stringifyOptions, type DumpArgs, type StringifyReplacer, type StringifySpace } from '../drive/stringify-args.js';
import { resolveOptions, type DumpOptions, type DumpStats } from '../options.js';
import { checkFirst } from '../drive/sweep.js';

/** JSON.stringify's arguments after the destination: writes `JSON.stringify(value, replacer, space)`. */
export function dumpSync(value: unknown, destination: SyncDestination, replacer: StringifyReplacer, space?: StringifySpace): DumpStats;
/** Writes the JSON text of `value` to a path or fd with sync writes, chunk by chunk. */
export function dumpSync(value: unknown, destination: SyncDestination, options?: DumpOptions | null): DumpStats;
export function dumpSync(value: unknown, destination: SyncDestination, ...args: DumpArgs): DumpStats {
  // Refused before the walk (an option, the destination, a file that cannot be opened): the
  // value's promises are handled and its streams destroyed, as when a dump fails.
  const [o, sink] = checkFirst(value, () => {
    const o = resolveOptions(stringifyOptions(args));
    return [o, openSinkSync(destination, o)] as const;
  });
  return pumpSync(new SyncDriver(value, o), sink, o.onProgress);
}
