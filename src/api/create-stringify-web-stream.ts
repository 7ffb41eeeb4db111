// Built with node:stream/web's class, typed as the global ReadableStream: in a user's project
// that is the DOM library's type when the DOM library is loaded (the one `Response` takes; node's
// is not assignable to it) and node's otherwise. At run time they are one class
// (globalThis.ReadableStream is node:stream/web's); only the two declarations differ. Its chunks
// are typed Uint8Array<ArrayBuffer>, as they are (never shared memory): the DOM's
// TextDecoderStream takes no other.
import { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { AsyncDriver } from '../drive/drive-async.js';
import { stringifyOptions, type StringifyArgs, type StringifyReplacer, type StringifySpace } from '../drive/stringify-args.js';
import { encodePieces } from '../encode/pieces.js';
import { resolveOptions, type StringifyOptions } from '../options.js';
import { checkFirst } from '../drive/sweep.js';
import { toUint8Array } from '../sink/web-writable.js';

/** JSON.stringify's arguments: a stream of `JSON.stringify(value, replacer, space)`. */
export function createStringifyWebStream(value: unknown, replacer: StringifyReplacer, space?: StringifySpace): ReadableStream<Uint8Array<ArrayBuffer>>;
/**
 * A WHATWG ReadableStream of the JSON text of `value` as UTF-8 bytes, for `new Response(stream)`
 * and every Web Streams consumer. Pull-based: a chunk is walked only when one is read (no chunk
 * is made ahead). Cancelling it ends the walk and closes what it opened (generators, streams).
 */
export function createStringifyWebStream(value: unknown, options?: StringifyOptions | null): ReadableStream<Uint8Array<ArrayBuffer>>;
export function createStringifyWebStream(value: unknown, ...args: StringifyArgs): ReadableStream<Uint8Array<ArrayBuffer>> {
  const o = checkFirst(value, () => resolveOptions(stringifyOptions(args)));
  const driver = new AsyncDriver(value, o);
  let bytes = 0;
  const stream = new NodeReadableStream<Uint8Array<ArrayBuffer>>(
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
          controller.enqueue(toUint8Array(chunk) as Uint8Array<ArrayBuffer>);
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
  return stream as unknown as ReadableStream<Uint8Array<ArrayBuffer>>;
}
