// Writing a buffer to a file descriptor, whole, for the sync and the async file sinks alike.
//
// A non-blocking pipe or terminal that is full refuses a write with EAGAIN (a file on some
// network file systems with EBUSY); the data is fine, the reader is just behind. Such a write
// is retried after a pause, as sonic-boom does, but not forever: a reader that takes nothing for
// `RetryPolicy` long fails the write with that error, instead of hanging the dump.

import { call, errno, type Proc } from './fs.js';

export interface RetryPolicy {
  /** Refusals in a row (with no byte accepted between them) before the write fails. */
  readonly attempts: number;
  /** Pause after the first refusal, in ms; doubled after each one up to `maxDelay`. */
  readonly firstDelay: number;
  readonly maxDelay: number;
}

/** About 30 s of a reader taking nothing: 1, 2, 4, … 64 ms, then 100 ms pauses. */
export const FD_RETRY: RetryPolicy = { attempts: 305, firstDelay: 1, maxDelay: 100 };

/** Set by the sink when the dump fails: a write waiting to retry gives up. */
export interface StopFlag {
  stopped: boolean;
}

const RETRIED = new Set(['EAGAIN', 'EBUSY']);

/** The pause before retry number `n` (1-based). */
export function retryDelay(policy: RetryPolicy, n: number): number {
  return Math.min(policy.maxDelay, policy.firstDelay * 2 ** Math.min(n - 1, 30));
}

/**
 * Writes all of `buf`: a short write goes on from where it stopped; EAGAIN and EBUSY (and a
 * write that took nothing) are retried after a pause, at most `policy.attempts` times in a row.
 */
export function* writeAll(fd: number, buf: Uint8Array, policy: RetryPolicy, stop: StopFlag): Proc<void> {
  let offset = 0;
  let refusals = 0;
  while (offset < buf.length) {
    let refusal: unknown;
    try {
      const n = yield* call('write', fd, buf, offset, buf.length - offset);
      if (n > 0) {
        offset += n;
        refusals = 0;
        continue;
      }
      refusal = Object.assign(new Error(`write() on fd ${fd} accepted no bytes`), { code: 'EAGAIN' });
    } catch (err) {
      if (!RETRIED.has(errno(err) ?? '')) throw err;
      refusal = err;
    }
    if (stop.stopped || ++refusals > policy.attempts) throw refusal;
    yield* call('sleep', retryDelay(policy, refusals));
  }
}
