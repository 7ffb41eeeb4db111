import { Transform } from 'node:stream';
import type { DumpStats } from '../options.js';
import { abortError, ReformatChunks } from '../reformat/drive.js';
import { pump } from '../drive/pump.js';
import { ReformatEncoder } from '../reformat/encoder.js';
import { checkInput, openInput, type ReformatInput } from '../reformat/input.js';
import { resolveReformatOptions, type ReformatOptions } from '../reformat/reformat-options.js';
import { Utf8Chunker } from '../reformat/utf8-chunks.js';
import { checkDestination, openSink, type Destination } from '../drive/destination.js';

export { JSONInputError } from '../reformat/encoder.js';
export type { ReformatInput, ReformatOptions };

/**
 * Re-encodes the JSON text of `input` into `destination` with the layout of `options`, as a
 * stream: the output equals `dumps(JSON.parse(text), options)` except that numbers keep their
 * exact text, and members keep their order (duplicate keys included). Memory stays flat
 * whatever the size of the input or of its largest string. Invalid JSON or UTF-8 rejects with
 * a JSONDumpError (ERR_INVALID_JSON, ERR_INVALID_UTF8) that gives the line, column and byte
 * offset; a path destination is then left untouched.
 */
export async function reformat(input: ReformatInput, destination: Destination, options?: ReformatOptions): Promise<DumpStats> {
  const o = resolveReformatOptions(options);
  checkInput(input);
  checkDestination(destination);
  const { base } = o;
  const encoder = new ReformatEncoder(o.format, { pauseAt: base.chunkSize });
  const chunks = new ReformatChunks(encoder, openInput(input), base.signal, o.invalidUTF8, base.chunkSize);
  return pump(chunks, () => openSink(destination, base), base.onProgress);
}

/**
 * A Transform that re-encodes the JSON text written to it (bytes or strings) with the layout of
 * `options`, as `reformat` does: bytes out, in chunks of about `chunkSize` bytes.
 */
export function createReformatStream(options?: ReformatOptions): Transform {
  const o = resolveReformatOptions(options);
  const { base } = o;
  const encoder = new ReformatEncoder(o.format, { pauseAt: base.chunkSize });
  const chunker = new Utf8Chunker(o.invalidUTF8);
  let bytes = 0;

  function emit(stream: Transform): void {
    const chunk = encoder.take();
    bytes += chunk.length;
    stream.push(chunk);
    base.onProgress?.({ bytes, values: encoder.values, items: encoder.items });
  }

  function feed(stream: Transform, pieces: Uint8Array[]): void {
    for (const piece of pieces) {
      let i = 0;
      do {
        i = encoder.write(piece, i);
        if (encoder.pending >= base.chunkSize || i < piece.length) emit(stream);
      } while (i < piece.length);
    }
  }

  const stream = new Transform({
    transform(chunk: Buffer | string, encoding, callback) {
      try {
        feed(this, chunker.push(typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk));
        chunker.check();
      } catch (error) {
        callback(error as Error);
        return;
      }
      callback();
    },
    flush(callback) {
      try {
        feed(this, chunker.end());
        encoder.finish();
        if (encoder.pending > 0) emit(this);
      } catch (error) {
        callback(error as Error);
        return;
      }
      callback();
    },
  });
  const signal = base.signal;
  if (signal !== null) {
    const abort = () => stream.destroy(abortError(signal, 'reformat'));
    if (signal.aborted) process.nextTick(abort);
    else {
      signal.addEventListener('abort', abort, { once: true });
      stream.once('close', () => signal.removeEventListener('abort', abort));
    }
  }
  return stream;
}
