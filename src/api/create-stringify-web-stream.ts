import { ReadableStream } from 'node:stream/web';
import { AsyncDriver } from '../drive/drive-async.js';
import { stringifyOptions, type StringifyArgs, type StringifyReplacer, type StringifySpace } from '../drive/stringify-args.js';
import { encodePieces } from '../encode/pieces.js';
import { resolveOptions, type StringifyOptions } from '../options.js';
import { checkFirst } from '../drive/sweep.js';
import { toUint8Array } from '../sink/web-writable.js';

/** JSON.stringify's arguments: a stream of `JSON.stringify(value, replacer, space)`. */
export function createStringifyWebStream(value: unknown, replacer: StringifyReplacer, space?: StringifySpace): ReadableStream<Uint8Array>;
/**
 * A WHATWG ReadableStream of the JSON text of `value` as UTF-8 bytes, for `new Response(stream)`
 * and every Web Streams consumer. Pull-based: a chunk is walked only when one is read (no chunk
 * is made ahead). Cancelling it ends the walk and closes what it opened (generators, streams).
 */
export function createStringifyWebStream(value: unknown, options?: StringifyOptions | null): ReadableStream<Uint8Array>;
export function createStringifyWebStream(value: unknown, ...args: StringifyArgs): ReadableStream<Uint8Array> {
  const o = checkFirst(value, () => resolveOptions(stringifyOptions(args)));
  const driver = new AsyncDriver(value, o);
  let bytes = 0;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        // No read is pending while the consumer is not reading: the abort must reach the stream by itself.
        driver.whenAborted((err) => {
          controller.error(err);
          driver.abort();
        });
      },
      async pull(controller) {
        try {
          const pieces = await driver.next();
          if (pieces === null) return controller.close();
          const chunk = encodePieces(pieces);
          bytes += chunk.length;
          controller.enqueue(toUint8Array(chunk));
          o.onProgress?.(driver.progress(bytes));
        } catch (err) {
          driver.abort();
          throw err;
        }
      },
      cancel() {
        driver.abort();
      },
    },
    { highWaterMark: 0 },
  );
}
