// The signals that end a command, and the exit status each gives.

/** Each signal that ends a command, with its exit status: 128 + its number, as shells report it. */
export const SIGNALS = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
export type Signal = keyof typeof SIGNALS;

/** The abort reason of a command ended by a signal. */
export class Interrupted extends Error {
  constructor(readonly signal: Signal) {
    super(`interrupted by ${signal}`);
  }
}

/**
 * Every signal of SIGNALS aborts `controller`. A second one ends the process at once, by the
 * signal's own default action: the status a shell reports is the same (128 + its number), and
 * unlike process.exit() it cannot wait on a thread stuck in a read or write (a FIFO nobody opens).
 * Returns the function that stops listening.
 */
export function onSignals(controller: AbortController): () => void {
  const names = Object.keys(SIGNALS) as Signal[];
  const handler = (signal: Signal) => {
    if (!controller.signal.aborted) {
      controller.abort(new Interrupted(signal));
      return;
    }
    stop();
    process.kill(process.pid, signal);
  };
  const stop = () => names.forEach((name) => process.removeListener(name, handler));
  names.forEach((name) => process.on(name, handler));
  return stop;
}
