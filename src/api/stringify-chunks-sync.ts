import { SyncDriver, syncChunks } from '../drive/drive-sync.js';
import { stringifyOptions, type StringifyArgs, type StringifyReplacer, type StringifySpace } from '../drive/stringify-args.js';
import { resolveOptions, type StringifyOptions } from '../options.js';
import { checkFirst } from '../drive/sweep.js';

/** JSON.stringify's arguments: the chunks of `JSON.stringify(value, replacer, space)`. */
export function stringifyChunksSync(value: unknown, replacer: StringifyReplacer, space?: StringifySpace): Generator<string, void, undefined>;
/** The JSON text of `value` in chunks of about `chunkSize` characters, produced as pulled. */
export function stringifyChunksSync(value: unknown, options?: StringifyOptions | null): Generator<string, void, undefined>;
export function stringifyChunksSync(value: unknown, ...args: StringifyArgs): Generator<string, void, undefined> {
  const o = checkFirst(value, () => resolveOptions(stringifyOptions(args)));
  return syncChunks(new SyncDriver(value, o, { countBytes: o.onProgress !== null }), o.onProgress);
}
