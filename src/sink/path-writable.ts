import { Writable } from 'node:stream';
import { FileSink } from './file.js';
import { runAsync } from './fs.js';
import { openFile } from './path-target.js';

/** Options of `createFileWriteStream`. */
export interface FileWriteStreamOptions {
  /** Write a temporary file beside the target and rename it into place on finish (default true). */
  atomic?: boolean;
}

/**
 * A Writable of bytes onto a file, atomic like `dump` to a path: the data goes to a temporary
 * file beside the target, which is fsynced and renamed over it when the stream finishes, and
 * removed if the stream is destroyed first (or with an error). For text that is already JSON,
 * or for a pipeline that ends in a file (a zlib stream into it, for example).
 */
export function createFileWriteStream(path: string | URL, options: FileWriteStreamOptions = {}): Writable {
  const atomic = options.atomic ?? true;
  let sink: FileSink | null = null;
  return new Writable({
    construct(callback) {
      runAsync(openFile(path, atomic)).then((file) => {
        sink = new FileSink(file);
        callback();
      }, callback);
    },
    write(chunk: Buffer, _encoding, callback) {
      try {
        const wait = sink!.writeBytes(chunk);
        if (wait === undefined) callback();
        else wait.then(() => callback(), callback);
      } catch (err) {
        callback(err as Error);
      }
    },
    final(callback) {
      sink!.flush().then(() => sink!.finish()).then(() => callback(), callback);
    },
    destroy(err, callback) {
      if (sink === null || (err === null && this.writableFinished)) callback(err);
      else sink.fail().then(() => callback(err));
    },
  });
}
