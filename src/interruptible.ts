// Waits that end at once when they are cut short (an abort signal fires, a driver is
// interrupted), whether or not what is awaited listens: one primitive, cutShort, and the
// shapes its callers need.

/** Subscribes `stop` to whatever cuts the wait short; returns how to unsubscribe. */
type CutBy = (stop: (err: unknown) => void) => () => void;

/**
 * `work`'s outcome, or a rejection with the error given to `stop` if that comes first. The
 * subscription ends when the wait settles either way: one listener per wait (racing each wait
 * against one long-lived promise would keep every awaited value alive through its reactions).
 */
function cutShort<T>(work: PromiseLike<T>, cutBy: CutBy): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const unsubscribe = cutBy((err) => {
      if (settled) return;
      settled = true;
      reject(err);
    });
    work.then(
      (value) => {
        settled = true;
        unsubscribe();
        resolve(value);
      },
      (err: unknown) => {
        settled = true;
        unsubscribe();
        reject(err);
      },
    );
    if (settled) unsubscribe(); // stopped while subscribing (a signal aborted already)
  });
}

/** How an abort ends a wait: the error it rejects with, and what to release first. */
export interface AbortedBy {
  /** The rejection; the signal's reason by default. */
  reason?: (signal: AbortSignal) => unknown;
  /** Runs once when the signal cuts the wait short (a connection released, a source closed). */
  onAbort?: () => void;
}

function bySignal(signal: AbortSignal, how: AbortedBy): CutBy {
  return (stop) => {
    const listener = () => {
      how.onAbort?.();
      stop(how.reason === undefined ? signal.reason : how.reason(signal));
    };
    if (signal.aborted) {
      listener();
      return () => {};
    }
    signal.addEventListener('abort', listener, { once: true });
    return () => signal.removeEventListener('abort', listener);
  };
}

/** `work`, or a rejection as soon as `signal` aborts (no signal: `work` as it is). */
export function unlessAborted<T>(work: PromiseLike<T>, signal: AbortSignal | null, how: AbortedBy = {}): Promise<T> {
  if (signal === null) return Promise.resolve(work);
  return cutShort(work, bySignal(signal, how));
}

export interface AbortWait {
  /** Rejects once the signal aborts; never resolves. */
  readonly promise: Promise<never>;
  /** Stops listening. */
  dispose(): void;
}

/** A wait for the abort alone, to race against work that cannot be given to unlessAborted. */
export function whenAborted(signal: AbortSignal, onAbort?: () => void): AbortWait {
  let dispose = () => {};
  const never = new Promise<never>(() => {});
  const promise = cutShort(never, (stop) => {
    dispose = bySignal(signal, { onAbort })(stop);
    return dispose;
  });
  promise.catch(() => {}); // raced by the caller; an abort nobody awaits is not an error
  return { promise, dispose: () => dispose() };
}

/**
 * The items of `source` until `signal` aborts: then the iteration rejects at once (with
 * `how.reason`), even while it waits for the next item, and the source is closed (a stream
 * destroyed) without waiting for it. Ended early otherwise (the consumer failed), the source
 * is closed and waited for.
 */
export async function* untilAborted<T>(source: AsyncIterable<T>, signal: AbortSignal | null, how: AbortedBy = {}): AsyncGenerator<T> {
  if (signal === null) {
    yield* source;
    return;
  }
  const iterator = source[Symbol.asyncIterator]();
  let done = false;
  try {
    for (;;) {
      if (signal.aborted) throw how.reason === undefined ? signal.reason : how.reason(signal);
      const next = await unlessAborted(iterator.next(), signal, how);
      if (next.done === true) {
        done = true;
        return;
      }
      yield next.value;
    }
  } finally {
    // A source stuck in a read is not waited for once aborted: the abort must not be held up
    if (!done) {
      const closing = Promise.resolve(iterator.return?.());
      if (signal.aborted) void closing.catch(() => {});
      else await closing;
    }
  }
}

/**
 * Waits that a call cuts short: interrupt(err) rejects the wait in progress at once, whatever
 * the awaited promise does later (a driver stopped by its signal, a destination that failed).
 */
export class Interruptible {
  private stop: ((err: unknown) => void) | null = null;
  private readonly cutBy: CutBy = (stop) => {
    this.stop = stop;
    return () => {
      if (this.stop === stop) this.stop = null;
    };
  };

  /** Waits for `p`, unless interrupted first. */
  wait<T>(p: PromiseLike<T>): Promise<T> {
    return cutShort(p, this.cutBy);
  }

  /** Rejects the wait in progress, if any, with `err`. */
  interrupt(err: unknown): void {
    this.stop?.(err);
  }
}
