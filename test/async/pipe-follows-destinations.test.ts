// createStringifyStream(v).pipe(dest) without an HTTP server: the stream follows the
// destinations .pipe() gave it. It is destroyed (its walk stopped, its generators closed) when
// the last one closes or is ended by someone else before the text is read; when the walk fails,
// the destinations it would end are destroyed with the error and nothing is uncaught. What the
// caller unpipes, pipes with `end: false`, or the output of the process, is left alone.
import { PassThrough, Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStringifyStream } from '../../src/index.js';

const uncaught: unknown[] = [];
const onUncaught = (err: unknown): void => void uncaught.push(err);
beforeEach(() => {
  uncaught.length = 0;
  process.on('uncaughtException', onUncaught);
});
afterEach(() => void process.off('uncaughtException', onUncaught));

const tick = (ms = 20) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves when `stream` emits 'close'; rejects after 2 s, which a busy machine never needs. */
const closed = (stream: NodeJS.EventEmitter): Promise<unknown> =>
  new Promise((resolve, reject) => {
    stream.once('close', resolve);
    setTimeout(() => reject(new Error('not closed after 2 s')), 2000).unref();
  });

/** Rows of about 1 kB without end (or `failAfter` of them, then an error); `state.closed` once its finally ran. */
function rows(state: { closed: boolean }, failAfter = Infinity): AsyncGenerator<unknown> {
  return (async function* gen() {
    try {
      for (let i = 0; ; i++) {
        if (i === failAfter) throw new Error('the cursor failed');
        yield { i, text: 'x'.repeat(1000) };
      }
    } finally {
      state.closed = true;
    }
  })();
}

/** A Writable that keeps what it gets, taking a chunk every `ms` (0: at once). */
function sink(ms = 0): Writable & { text: () => string } {
  const chunks: Buffer[] = [];
  const w = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _e, cb) {
      chunks.push(chunk);
      if (ms === 0) cb();
      else setTimeout(cb, ms);
    },
  });
  return Object.assign(w, { text: () => Buffer.concat(chunks).toString() });
}

describe('the stream follows its .pipe() destinations', () => {
  it('the only destination is destroyed mid-text: the stream is destroyed and the generator closed', async () => {
    const state = { closed: false };
    const stream = createStringifyStream({ rows: rows(state) });
    const dest = sink(1);
    stream.pipe(dest);
    await tick();
    dest.destroy();
    await tick();
    expect(stream.destroyed).toBe(true);
    expect(state.closed).toBe(true);
    expect(uncaught).toEqual([]);
  });

  it('a destination ended by someone else mid-text counts as gone', async () => {
    const state = { closed: false };
    const stream = createStringifyStream({ rows: rows(state) });
    const dest = sink(1);
    stream.pipe(dest);
    await tick();
    dest.end();
    await tick(50);
    expect(state.closed).toBe(true);
  });

  it('with two destinations, the stream goes on while one is left, and both get the whole text when it ends', async () => {
    const value = { rows: Array.from({ length: 2000 }, (_, i) => ({ i, text: 'y'.repeat(100) })) };
    const stream = createStringifyStream(value, { chunkSize: 1024 });
    const kept = sink();
    const dropped = sink(1);
    stream.pipe(kept);
    stream.pipe(dropped);
    await tick();
    dropped.destroy();
    await new Promise((resolve) => kept.on('finish', resolve));
    expect(kept.text()).toBe(JSON.stringify(value));
    expect(stream.destroyed).toBe(true); // autoDestroy after the end, not an abort
    expect(stream.errored).toBeNull();
  });

  it('a destination the caller unpipes is not a reason to stop: piped again, the text goes on', async () => {
    const value = { rows: Array.from({ length: 2000 }, (_, i) => ({ i })) };
    const stream = createStringifyStream(value, { chunkSize: 256 });
    const first = new PassThrough();
    const chunks: Buffer[] = [];
    first.on('data', (c: Buffer) => chunks.push(c));
    stream.pipe(first);
    await tick(5);
    stream.unpipe(first);
    first.destroy();
    await tick();
    expect(stream.destroyed).toBe(false);
    const second = sink();
    stream.pipe(second);
    await new Promise((resolve) => second.on('finish', resolve));
    expect(Buffer.concat(chunks).toString() + second.text()).toBe(JSON.stringify(value));
  });

  it('a walk that fails destroys the destinations with its error, and nothing is uncaught', async () => {
    const state = { closed: false };
    const stream = createStringifyStream({ rows: rows(state, 50) });
    const dest = sink();
    const destErrors: unknown[] = [];
    dest.on('error', (e) => destErrors.push(e));
    stream.pipe(dest);
    await closed(dest);
    expect(destErrors).toMatchObject([{ message: 'the cursor failed' }]);
    expect(dest.writableFinished).toBe(false);
    expect(state.closed).toBe(true);
    await tick();
    expect(uncaught).toEqual([]);
  });

  it('a destination without an error listener is destroyed too, without an uncaught error', async () => {
    const stream = createStringifyStream({ rows: rows({ closed: false }, 50) });
    const dest = sink();
    stream.pipe(dest);
    await closed(dest);
    expect(dest.destroyed).toBe(true);
    await tick();
    expect(uncaught).toEqual([]);
  });

  it('piped with end: false, the destination is the caller\'s: left open, and the error is the stream\'s', async () => {
    const stream = createStringifyStream({ rows: rows({ closed: false }, 50) });
    const dest = sink();
    const streamErrors: unknown[] = [];
    stream.on('error', (e) => streamErrors.push(e));
    stream.pipe(dest, { end: false });
    await closed(stream);
    expect(streamErrors).toMatchObject([{ message: 'the cursor failed' }]);
    expect(dest.destroyed).toBe(false);
    dest.end();
  });
});
