import { resolveOptions, type StringifyOptions } from '../options.js';
import { joinPieces } from '../encode/pieces.js';
import { AsyncDriver } from './drive-async.js';

/** The JSON text of `value` in chunks, awaiting promises, async iterables and streams in it. */
export async function* stringifyChunks(value: unknown, options?: StringifyOptions): AsyncGenerator<string, void, undefined> {
  const o = resolveOptions(options);
  const driver = new AsyncDriver(value, o);
  const w = driver.walker;
  let bytes = 0;
  let done = false;
  try {
    let pieces: string[] | null;
    while ((pieces = await driver.next()) !== null) {
      const chunk = joinPieces(pieces);
      yield chunk;
      if (o.onProgress !== null) {
        bytes += Buffer.byteLength(chunk);
        o.onProgress({ bytes, values: w.values, items: w.items });
      }
    }
    done = true;
  } finally {
    if (!done) driver.abort();
  }
}
