import { Readable } from 'node:stream';
import { encodePieces } from '../encode/pieces.js';
import { resolveOptions, type StringifyOptions } from '../options.js';
import { AsyncDriver } from './drive-async.js';

/**
 * A Readable of the JSON text of `value`, walked only as fast as it is read: pipe it into a
 * file, a socket or an HTTP response and their backpressure paces the walk.
 */
export function createStringifyStream(value: unknown, options?: StringifyOptions): Readable {
  const o = resolveOptions(options);
  const driver = new AsyncDriver(value, o);
  const w = driver.walker;
  let bytes = 0;
  return new Readable({
    highWaterMark: o.chunkSize,
    read() {
      driver.next().then(
        (pieces) => {
          if (pieces === null) return this.push(null);
          // Bytes, not a string: the pieces are encoded straight away, never joined first.
          const chunk = encodePieces(pieces);
          bytes += chunk.length;
          o.onProgress?.({ bytes, values: w.values, items: w.items });
          return this.push(chunk);
        },
        (err: unknown) => this.destroy(err as Error),
      );
    },
    destroy(err, callback) {
      driver.abort();
      callback(err);
    },
  });
}
