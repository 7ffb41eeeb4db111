import { AsyncDriver } from '../drive/drive-async.js';
import { checkDestination, openSink, type Destination } from '../drive/destination.js';
import { pump } from '../drive/pump.js';
import { resolveOptions, type DumpOptions, type DumpStats } from '../options.js';
import { checkFirst } from '../drive/sweep.js';

/**
 * Streams the JSON text of `value` into `destination` (a path, file: URL, Writable,
 * WritableStream, FileHandle or fd), honouring backpressure. Never throws: every failure is a
 * rejection. On failure a Writable or WritableStream is destroyed with the error (unless
 * `end: false`, or it is stdout or stderr), and a path's target is left as it was.
 */
export async function dump(value: unknown, destination: Destination, options?: DumpOptions): Promise<DumpStats> {
  const o = checkFirst(value, () => {
    const o = resolveOptions(options);
    checkDestination(destination);
    return o;
  });
  return pump(new AsyncDriver(value, o), () => openSink(destination, o), o.onProgress);
}
