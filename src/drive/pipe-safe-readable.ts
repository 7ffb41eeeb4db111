// `.pipe()` leaves the source's errors to whoever listens (nobody, in `stream.pipe(res)`: an
// uncaught exception, and a response that never ends) and never tells the source that a
// destination went away (a client that disconnects: the walk, and the database cursor it reads,
// stay open forever). `pipeline()` does both; this Readable does them for `.pipe()` too.

import { Readable } from 'node:stream';

type Destination = NodeJS.WritableStream & { destroyed?: boolean; writableEnded?: boolean; destroy?(err?: Error): unknown };

const ignore = (): void => {};

/** The process's own output is never destroyed: later output (a log line) still needs it. */
function isStdio(d: object): boolean {
  return d === process.stdout || d === process.stderr;
}

/** The destination takes nothing more: closed, destroyed or ended. */
function isGone(d: Destination): boolean {
  return d.destroyed === true || d.writableEnded === true;
}

/**
 * A Readable that follows its `.pipe()` destinations: when the last one closes (or is ended by
 * someone else) before the text is all read, the stream is destroyed, which stops the walk and
 * closes what it opened; when the walk fails, each destination it would have ended is destroyed
 * with the error (an HTTP client sees the body fail, not a short one that looks complete), and
 * the error is not thrown as uncaught. A destination unpiped by the caller is left alone.
 */
export class PipeSafeReadable extends Readable {
  /** Piped destinations, not unpiped or closed since: the function that stops following each. */
  private readonly followed = new Map<Destination, () => void>();
  /** Those of them the source ends (`end` not false, not stdout or stderr). */
  private readonly owned = new Set<Destination>();

  private readonly failDestinations = (err: Error): void => {
    for (const d of [...this.owned]) {
      if (typeof d.destroy !== 'function' || d.destroyed === true) continue;
      // pipe()'s own listener throws the error again when it finds no other listener.
      d.once('error', ignore);
      d.destroy(err);
    }
  };

  override pipe<T extends NodeJS.WritableStream>(destination: T, options?: { end?: boolean }): T {
    const d = destination as Destination;
    // Before pipe()'s listeners, so that a close is seen before pipe() unpipes the destination.
    if (!this.followed.has(d)) this.follow(d, options?.end !== false && !isStdio(d));
    return super.pipe(destination, options);
  }

  private follow(d: Destination, owned: boolean): void {
    const onClose = (): void => this.lose(d);
    const onUnpipe = (source: unknown): void => {
      if (source !== this) return;
      // Unpiped by pipe() itself because the destination finished early: as good as closed.
      if (isGone(d)) this.lose(d);
      else this.forget(d);
    };
    d.on('close', onClose);
    d.on('unpipe', onUnpipe);
    this.followed.set(d, () => {
      d.removeListener('close', onClose);
      d.removeListener('unpipe', onUnpipe);
    });
    if (owned) {
      if (this.owned.size === 0) this.on('error', this.failDestinations);
      this.owned.add(d);
    }
  }

  private forget(d: Destination): void {
    this.followed.get(d)?.();
    this.followed.delete(d);
    if (this.owned.delete(d) && this.owned.size === 0) this.removeListener('error', this.failDestinations);
  }

  /** `d` takes nothing more: with no destination left and text still to come, nobody will read it. */
  private lose(d: Destination): void {
    if (!this.followed.has(d)) return;
    this.forget(d);
    if (this.followed.size === 0 && !this.readableEnded && !this.destroyed) this.destroy();
  }
}
