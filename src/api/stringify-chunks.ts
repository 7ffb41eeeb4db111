import { AsyncDriver } from '../drive/drive-async.js';
import { stringifyOptions, type StringifyArgs, type StringifyReplacer, type StringifySpace } from '../drive/stringify-args.js';
import { joinPieces } from '../encode/pieces.js';
import { resolveOptions, type StringifyOptions } from '../options.js';
import { checkFirst } from '../drive/sweep.js';

/** JSON.stringify's arguments: the chunks of `JSON.stringify(value, replacer, space)`. */
export function stringifyChunks(value: unknown, replacer: StringifyReplacer, space?: StringifySpace): AsyncGenerator<string, void, undefined>;
/**
 * The JSON text of `value` in chunks (strings), awaiting promises, async iterables and streams
 * in it. For bytes, use createStringifyWebStream or createStringifyStream.
 */
export function stringifyChunks(value: unknown, options?: StringifyOptions | null): AsyncGenerator<string, void, undefined>;
export async function* stringifyChunks(value: unknown, ...args: StringifyArgs): AsyncGenerator<string, void, undefined> {
  const o = checkFirst(value, () => resolveOptions(stringifyOptions(args)));
  const driver = new AsyncDriver(value, o, { countBytes: o.onProgress !== null });
  let done = false;
  try {
    let pieces: string[] | null;
    while ((pieces = await driver.next()) !== null) {
      yield joinPieces(pieces);
      o.onProgress?.(driver.progress());
    }
    done = true;
  } finally {
    if (!done) driver.abort();
  }
}
