import { AsyncDriver } from '../drive/drive-async.js';
import { checkDestination, openSink, type Destination } from '../drive/destination.js';
import { pump } from '../drive/pump.js';
import { stringifyOptions, type DumpArgs, type StringifyReplacer, type StringifySpace } from '../drive/stringify-args.js';
import { resolveOptions, type DumpOptions, type DumpStats } from '../options.js';
import { checkFirst } from '../drive/sweep.js';

/** JSON.stringify's arguments after the destination: writes `JSON.stringify(value, replacer, space)`. */
export function dump(value: unknown, destination: Destination, replacer: StringifyReplacer, space?: StringifySpace): Promise<DumpStats>;
/**
 * Streams the JSON text of `value` into `destination` (a path, file: URL, Writable,
 * WritableStream, FileHandle or fd), honouring backpressure. Never throws: every failure is a
 * rejection. On failure a Writable or WritableStream is destroyed with the error (unless
 * `end: false`, or it is stdout or stderr), and a path's target is left as it was.
 */
export function dump(value: unknown, destination: Destination, options?: DumpOptions | null): Promise<DumpStats>;
export async function dump(value: unknown, destination: Destination, ...args: DumpArgs): Promise<DumpStats> {
  const o = checkFirst(value, () => {
    const o = resolveOptions(stringifyOptions(args));
    checkDestination(destination);
    return o;
  });
  return pump(new AsyncDriver(value, o), () => openSink(destination, o), o.onProgress);
}
