// onProgress is the caller's code: when it throws, the stream it reports on fails with that
// error, like any error of the caller's code in the walk. Nothing crashes, nothing hangs.
import { describe, expect, it } from 'vitest';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createStringifyStream, encodeTokens } from '../../src/index.js';
import { recordProcessEvents, settle } from '../helpers/process-events.js';
import { rejection } from '../helpers/rejection.js';

/** Each test settles well within this; a hang is the failure this file guards against. */
const HANG = 10_000;

const events = recordProcessEvents({ uncaught: true });

const value = Array.from({ length: 300 }, (_, i) => ({ i, s: 'x'.repeat(20) }));

/** A Writable that drops everything. */
const nowhere = (): Writable => new Writable({ write: (_c, _e, cb) => cb() });

/** onProgress that throws `boom` on its `n`-th call. */
function throwingAt(n: number, boom: Error): () => void {
  let calls = 0;
  return () => {
    if (++calls === n) throw boom;
  };
}

describe('createStringifyStream', () => {
  it('the stream fails with the error onProgress throws; the pipeline settles; nothing uncaught', async () => {
    const boom = new Error('progress bar broke');
    let finalized = false;
    function* rows(): Generator<unknown> {
      try {
        yield* value;
      } finally {
        finalized = true;
      }
    }
    const stream = createStringifyStream(rows(), { chunkSize: 100, onProgress: throwingAt(3, boom) });
    expect(await rejection(pipeline(stream, nowhere()))).toBe(boom);
    expect(stream.destroyed).toBe(true);
    expect(finalized).toBe(true);
    await settle();
    expect(events.uncaught).toEqual([]);
    expect(events.unhandled).toEqual([]);
  }, HANG);

  it('read with for await: the loop throws the error', async () => {
    const boom = new Error('first call');
    const chunks: unknown[] = [];
    const err = await rejection(
      (async () => {
        for await (const c of createStringifyStream(value, { chunkSize: 100, onProgress: throwingAt(1, boom) })) chunks.push(c);
      })(),
    );
    expect(err).toBe(boom);
    await settle();
    expect(events.uncaught).toEqual([]);
    expect(events.unhandled).toEqual([]);
  }, HANG);
});

describe('encodeTokens', () => {
  /** stream-json style tokens of [0, 1, …, n-1]. */
  function tokens(n: number): Readable {
    const list: { name: string; value?: string }[] = [{ name: 'startArray' }];
    for (let i = 0; i < n; i++) list.push({ name: 'numberValue', value: String(i) });
    list.push({ name: 'endArray' });
    return Readable.from(list);
  }

  it('while transforming: the pipeline fails with the error; nothing uncaught', async () => {
    const boom = new Error('in transform');
    const encoder = encodeTokens({ chunkSize: 16, onProgress: throwingAt(2, boom) });
    expect(await rejection(pipeline(tokens(1000), encoder, nowhere()))).toBe(boom);
    await settle();
    expect(events.uncaught).toEqual([]);
    expect(events.unhandled).toEqual([]);
  }, HANG);

  it('at the final flush: the pipeline fails with the error; nothing uncaught', async () => {
    const boom = new Error('in flush');
    const encoder = encodeTokens({ chunkSize: 1 << 20, onProgress: throwingAt(1, boom) });
    expect(await rejection(pipeline(tokens(10), encoder, nowhere()))).toBe(boom);
    await settle();
    expect(events.uncaught).toEqual([]);
    expect(events.unhandled).toEqual([]);
  }, HANG);
});
