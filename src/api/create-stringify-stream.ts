import type { Readable } from 'node:stream';
import { AsyncDriver } from '../drive/drive-async.js';
import { stringifyOptions, type StringifyArgs, type StringifyReplacer, type StringifySpace } from '../drive/stringify-args.js';
import { encodePieces } from '../encode/pieces.js';
import { resolveOptions, type StringifyOptions } from '../options.js';
import { checkFirst } from '../drive/sweep.js';
import { PipeSafeReadable } from '../drive/pipe-safe-readable.js';

/** JSON.stringify's arguments: a Readable of `JSON.stringify(value, replacer, space)`. */
export function createStringifyStream(value: unknown, replacer: StringifyReplacer, space?: StringifySpace): Readable;
/**
 * A Readable of the JSON text of `value` (UTF-8 bytes), walked only as fast as it is read: pipe
 * it into a file, a socket or an HTTP response and their backpressure paces the walk.
 */
export function createStringifyStream(value: unknown, options?: StringifyOptions | null): Readable;
export function createStringifyStream(value: unknown, ...args: StringifyArgs): Readable {
  const o = checkFirst(value, () => resolveOptions(stringifyOptions(args)));
  const driver = new AsyncDriver(value, o);
  let bytes = 0;
  // Safe with .pipe(res) too: see PipeSafeReadable.
  const stream = new PipeSafeReadable({
    highWaterMark: o.chunkSize,
    read() {
      driver.next().then(
        (pieces) => {
          if (pieces === null) return this.push(null);
          // Bytes, not a string: the pieces are encoded straight away, never joined first.
          const chunk = encodePieces(pieces);
          bytes += chunk.length;
          // The caller's onProgress may throw: that fails the stream, like any error of the walk.
          o.onProgress?.(driver.progress(bytes));
          return this.push(chunk);
        },
        (err: unknown) => this.destroy(err as Error),
      ).catch((err: unknown) => this.destroy(err as Error));
    },
    destroy(err, callback) {
      driver.abort();
      callback(err);
    },
  });
  // A paused consumer calls no read(): the abort must reach the stream by itself.
  driver.whenAborted((err) => stream.destroy(err as Error));
  return stream;
}
