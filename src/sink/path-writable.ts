import { Writable } from 'node:stream';
import { openPath } from './path.js';

/**
 * A Writable onto a path destination, atomic like `dump`'s: for text that is already JSON
 * (encodeTokens' output). The file is renamed into place when the stream finishes and the
 * temporary file removed if it is destroyed with an error.
 */
export async function createPathWritable(dest: string | URL, atomic = true): Promise<Writable> {
  const sink = await openPath(dest, atomic);
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      try {
        const wait = sink.writeBuffer(chunk);
        if (wait === undefined) callback();
        else wait.then(() => callback(), callback);
      } catch (err) {
        callback(err as Error);
      }
    },
    final(callback) {
      sink.finish().then(() => callback(), callback);
    },
    destroy(err, callback) {
      if (err === null && this.writableFinished) callback(null);
      else sink.fail().then(() => callback(err));
    },
  });
}
