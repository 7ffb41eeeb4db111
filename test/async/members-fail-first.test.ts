// An async member of a container the walk has opened fails before the walk reaches it: the
// dump fails with that member's own error, whatever the walk is busy with meanwhile (rows
// going into a slow destination, another promise it waits on), and nothing reaches the process
// as an unhandled rejection or an 'error' event nobody listens to.
import { describe, expect, it } from 'vitest';
import { PassThrough, type Readable } from 'node:stream';
import { dump } from '../../src/index.js';
import { expectNothingLeaked, rows } from '../helpers/beyond-first-chunk.js';
import { recordProcessEvents, settle } from '../helpers/process-events.js';
import { collector } from '../helpers/io.js';

const events = recordProcessEvents({ uncaught: true });

/** A promise rejecting with `error` after `ms`, with no handler but the dump's. */
const rejectsAfter = (error: Error, ms: number): Promise<never> => new Promise((_, reject) => setTimeout(() => reject(error), ms));
/** A byte stream that fails with `error` after `ms`, with no 'error' listener but the dump's. */
function failsAfter(error: Error, ms: number): Readable {
  const s = new PassThrough();
  setTimeout(() => s.destroy(error), ms);
  return s;
}
/** A Writable that takes 20 ms per write of at most 1 KiB before it pushes back. */
const slowWritable = () => collector({ highWaterMark: 1024, delay: 20, ignoreErrors: true });

describe('a member of an opened container fails before the walk reaches it', () => {
  it('a promise beside 20,000 rows, rejecting after 50 ms, into a slow Writable', async () => {
    const boom = new Error('the promise beside the rows');
    const c = slowWritable();
    await expect(dump({ rows: rows(20_000), p: rejectsAfter(boom, 50) }, c.w)).rejects.toBe(boom);
    await settle();
    expectNothingLeaked(events);
  });

  it('a stream beside 20,000 rows and a slow promise fails first', async () => {
    const boom = new Error('the stream beside the rows');
    const slow = new Promise((resolve) => setTimeout(() => resolve('late'), 3000));
    const s = failsAfter(boom, 50);
    const started = performance.now();
    await expect(dump({ rows: rows(20_000), slow, s }, slowWritable().w)).rejects.toBe(boom);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(s.destroyed).toBe(true);
    await settle();
    expectNothingLeaked(events);
  });
  it('one of 100,000 promises rejects while the walk waits on the first', async () => {
    const boom = new Error('the last of 100,000');
    // Every promise but the last waits on one timer, 20 s away; the last rejects after 3 s.
    // (Handlers for 100,000 promises, a slice per turn of the event loop, take 30 ms on a quiet
    // machine and 1 to 2 s on one running five times more processes than it has cores, most of
    // it the young generation's collections of the promises then() makes: the last one must be
    // watched before it rejects.) The order of the two timers, not the wall time, says whether
    // the dump waited for the first: on a busy machine both may fire late, but the 3 s one first.
    let gateOpen = false;
    const gate = new Promise((resolve) => setTimeout(resolve, 20_000)).then(() => (gateOpen = true));
    const items: Promise<unknown>[] = Array.from({ length: 99_999 }, (_, i) => gate.then(() => i));
    items.push(rejectsAfter(boom, 3000));
    await expect(dump(items, collector().w)).rejects.toBe(boom);
    expect(gateOpen).toBe(false);
    await settle();
    expectNothingLeaked(events);
  });

});
