import { resolveOptions, type StringifyOptions } from '../options.js';
import { SyncDriver, syncChunks } from './drive-sync.js';

/** The JSON text of `value` in chunks of about `chunkSize` characters, produced as pulled. */
export function stringifyChunksSync(value: unknown, options?: StringifyOptions): Generator<string, void, undefined> {
  const o = resolveOptions(options);
  return syncChunks(new SyncDriver(value, o));
}
