import { Readable } from 'node:stream';
import { resolveOptions, type StringifyOptions } from '../options.js';
import { joinPieces } from '../encode/pieces.js';
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
          const chunk = pieces === null ? null : joinPieces(pieces);
          if (chunk !== null && o.onProgress !== null) {
            bytes += Buffer.byteLength(chunk);
            o.onProgress({ bytes, values: w.values, items: w.items });
          }
          this.push(chunk);
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
