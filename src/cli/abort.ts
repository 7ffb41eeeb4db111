// Waits that an abort ends at once, whether or not what is awaited listens to the signal.

export interface AbortWait {
  /** Rejects with the signal's reason once it aborts; never resolves. */
  readonly promise: Promise<never>;
  /** Stops listening. */
  dispose(): void;
}

export function whenAborted(signal: AbortSignal, onAbort: () => void = () => {}): AbortWait {
  let listener = () => {};
  const promise = new Promise<never>((_, reject) => {
    listener = () => {
      onAbort();
      reject(signal.reason);
    };
    if (signal.aborted) listener();
    else signal.addEventListener('abort', listener, { once: true });
  });
  promise.catch(() => {}); // raced by the caller; an abort nobody awaits is not an error
  return { promise, dispose: () => signal.removeEventListener('abort', listener) };
}

/** `work`, or the signal's reason as soon as it aborts. */
export async function unlessAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  const aborted = whenAborted(signal);
  try {
    return await Promise.race([work, aborted.promise]);
  } finally {
    aborted.dispose();
  }
}
