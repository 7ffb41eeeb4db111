import { resolveOptions, type DumpOptions, type DumpStats } from '../options.js';
import { checkDestination, type Destination } from './destination.js';
import { pump } from './pump.js';

/**
 * Streams the JSON text of `value` into `destination` (a path, file: URL, Writable, FileHandle
 * or fd), honouring backpressure. Never throws: every failure is a rejection.
 */
export async function dump(value: unknown, destination: Destination, options?: DumpOptions): Promise<DumpStats> {
  const o = resolveOptions(options);
  checkDestination(destination);
  return pump(value, destination, o, false);
}
