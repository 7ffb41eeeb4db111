import { JSONDumpError } from '../errors.js';
import type { ReformatEncoder } from './encoder.js';

/**
 * Feeds `chunks` (cut at character boundaries: see utf8Chunks) to `encoder`, and yields each
 * time its output should be taken: `size` bytes or more are pending, the encoder paused, or
 * the input is over (then `finish` has checked it was complete).
 */
export async function* outputTurns(chunks: AsyncIterable<Uint8Array>, encoder: ReformatEncoder, size: number): AsyncGenerator<void> {
  for await (const chunk of chunks) {
    let i = 0;
    do {
      i = encoder.write(chunk, i);
      if (encoder.pending >= size || i < chunk.length) yield;
    } while (i < chunk.length);
  }
  encoder.finish();
  if (encoder.pending > 0) yield;
}

export function abortError(signal: AbortSignal, what: string): JSONDumpError {
  return new JSONDumpError('ERR_ABORTED', `${what} was aborted`, '$', { cause: signal.reason });
}

/** `promise`, or a rejection with ERR_ABORTED as soon as `signal` aborts (the listener is removed either way). */
function orAbort<T>(promise: Promise<T>, signal: AbortSignal, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal, what));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * The items of `source` until `signal` aborts: then the iteration rejects with ERR_ABORTED at
 * once, even while it waits for the next item, and the source is closed (a stream destroyed).
 * (One listener per wait, removed when it settles: racing each wait against one long-lived
 * promise would keep every item alive through that promise's reactions.)
 */
export async function* untilAborted<T>(source: AsyncIterable<T>, signal: AbortSignal | null, what: string): AsyncGenerator<T> {
  if (signal === null) {
    yield* source;
    return;
  }
  const iterator = source[Symbol.asyncIterator]();
  let done = false;
  try {
    for (;;) {
      if (signal.aborted) throw abortError(signal, what);
      const next = await orAbort(iterator.next(), signal, what);
      if (next.done) {
        done = true;
        return;
      }
      yield next.value;
    }
  } finally {
    // closing a source that is still waiting for data must not hold up the failure
    if (!done) void Promise.resolve(iterator.return?.()).catch(() => {});
  }
}
